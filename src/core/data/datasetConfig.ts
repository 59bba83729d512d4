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
  /** validation gate settings for this data (absolute floors, …) under the workspace's `validation` */
  validation?: { accuracy?: number; precision?: number; recall?: number; f1?: number };
}

export const LABEL_GUESSES = ['Label', 'label', 'target', 'class', 'y'];

export const DATASETS: Record<string, DatasetConfig> = {
  CICIDS2017: { name: 'CICIDS2017', label: 'Label', negativeClass: 'BENIGN', dropColumns: ['Flow ID', 'Source IP', 'Destination IP', 'Timestamp'], validation: { accuracy: 0.9, precision: 0.85, recall: 0.85, f1: 0.85 } },
  Generic: { name: 'Generic' },
};
