/** Dataset configurations are data, not code: which column is the label and how labels map to classes. */
export interface DatasetConfig {
  name: string;
  /** label column; when absent, auto-detected from LABEL_GUESSES */
  label?: string;
  /** the negative class for binary mapping (others -> 1) */
  negativeClass?: string;
  /** keep every class instead of mapping to binary */
  multiClass?: boolean;
  /** columns never used as features (ids, timestamps) */
  dropColumns?: string[];
}

export const LABEL_GUESSES = ['Label', 'label', 'target', 'class', 'y'];

export const DATASETS: Record<string, DatasetConfig> = {
  CICIDS2017: { name: 'CICIDS2017', label: 'Label', negativeClass: 'BENIGN', dropColumns: ['Flow ID', 'Source IP', 'Destination IP', 'Timestamp'] },
  Generic: { name: 'Generic' },
};
