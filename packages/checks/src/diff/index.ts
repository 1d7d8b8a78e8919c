export { diffRendered, type ObjectChange } from './changes';
export { diffMarkdown, groupChanges, type ChangeGroup } from './markdown';
export { filesAtRef, refExists, treeAtRef } from './git';
export { nameStem, pairObjects, type Pair } from './pairing';
export { describeSopsChange, sopsInfo, type SopsInfo } from './sops';
export { valueChanges, formatValueChange, type ValueChange } from './values';
