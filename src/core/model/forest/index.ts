/** The random forest: training, prediction, model files. See README "The random forest". */
export { trainForest, type ForestOptions } from './train';
export { Forest, argmaxRows } from './forest';
export { saveForest, loadForest } from './io';
export { FOREST_FORMAT, FOREST_VERSION, type ForestJson } from './serialize';
