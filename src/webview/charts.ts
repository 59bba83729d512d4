import type { Chart as ChartT, ChartConfiguration, Plugin } from 'chart.js' with { 'resolution-mode': 'import' };
import { cssVar } from './dom';

type ChartModule = typeof import('chart.js', { with: { 'resolution-mode': 'import' } });
// chart.js is an ES module package; the webview is bundled by esbuild, which resolves this require to chart.cjs
// eslint-disable-next-line @typescript-eslint/no-require-imports
const chartjs = require('chart.js') as ChartModule;
const { Chart } = chartjs;
Chart.register(
  chartjs.BarController,
  chartjs.BarElement,
  chartjs.LineController,
  chartjs.LineElement,
  chartjs.PointElement,
  chartjs.CategoryScale,
  chartjs.LinearScale,
  chartjs.Tooltip,
  chartjs.Legend,
);

/** colours from the VS Code theme (the webview gets its CSS variables) */
export function theme() {
  return {
    fg: cssVar('--vscode-foreground', '#ccc'),
    muted: cssVar('--vscode-descriptionForeground', '#999'),
    grid: cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', '#8884')),
    red: cssVar('--vscode-charts-red', '#f14c4c'),
    yellow: cssVar('--vscode-charts-yellow', '#cca700'),
    green: cssVar('--vscode-charts-green', '#89d185'),
    blue: cssVar('--vscode-charts-blue', '#3794ff'),
    orange: cssVar('--vscode-charts-orange', '#d18616'),
    purple: cssVar('--vscode-charts-purple', '#b180d7'),
    font: cssVar('--vscode-font-family', 'sans-serif'),
  };
}

export interface ThresholdLine {
  value: number;
  label: string;
  color: string;
}

/** vertical dashed lines on the value axis of a horizontal bar chart (PSI 0.1 / 0.2) */
const thresholdPlugin: Plugin<'bar'> = {
  id: 'dcThresholds',
  afterDatasetsDraw(chart, _args, opts: { lines?: ThresholdLine[] }) {
    const x = chart.scales.x;
    if (!x || !opts.lines) return;
    const { top, bottom } = chart.chartArea;
    const ctx = chart.ctx;
    ctx.save();
    let lastLabelX = -Infinity;
    for (const line of opts.lines) {
      const px = x.getPixelForValue(line.value);
      ctx.strokeStyle = line.color;
      ctx.fillStyle = line.color;
      ctx.lineWidth = 1.5;
      ctx.setLineDash([5, 4]);
      ctx.beginPath();
      ctx.moveTo(px, top);
      ctx.lineTo(px, bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      // labels sit above the plot area (never over the bars), pushed apart when the lines are close
      const lx = Math.max(px, lastLabelX + 26);
      ctx.textAlign = 'center';
      ctx.fillText(line.label, lx, top - 4);
      lastLabelX = lx;
    }
    ctx.restore();
  },
};

const charts = new Map<string, ChartT>();

/** (re)draws a chart into a canvas, replacing the previous chart of the same key */
export function draw(key: string, canvas: HTMLCanvasElement, config: ChartConfiguration): ChartT {
  charts.get(key)?.destroy();
  const t = theme();
  Chart.defaults.color = t.fg;
  Chart.defaults.borderColor = t.grid;
  Chart.defaults.font.family = t.font;
  Chart.defaults.animation = false; // instant redraws; live updates would otherwise animate on every step
  const chart = new Chart(canvas, { ...config, plugins: [...(config.plugins ?? []), thresholdPlugin as Plugin] } as ChartConfiguration);
  charts.set(key, chart);
  return chart;
}

export function destroyAll(): void {
  for (const c of charts.values()) c.destroy();
  charts.clear();
}
