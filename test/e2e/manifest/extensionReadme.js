// Writes the README shipped inside the .vsix: the project README's title, intro and "Using the extension" section.
// (The full README has SVG plots and CLI/engine docs; the Marketplace rejects SVGs and users of the extension
// need the extension part.) usage: node extensionReadme.js <out.md>
const fs = require('fs');
const path = require('path');
const out = process.argv[2];
if (!out) throw new Error('usage: node extensionReadme.js <out.md>');
const md = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
const intro = md.slice(0, md.indexOf('\n## ')).replace(/\n<!--[\s\S]*?-->\n?/g, '\n');
const start = md.indexOf('\n## Using the extension');
if (start < 0) throw new Error('README.md has no "## Using the extension" section');
const next = md.indexOf('\n## ', start + 1);
const section = md.slice(start, next < 0 ? undefined : next);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${intro.trim()}\n${section.trimEnd()}\n`);
console.log(`extension README written to ${out}`);
