export { readPins, pinOf, repoRoot, toolsBin, versionsFile, type ToolPin } from './pins';
export { binVariable, describeTool, findTool, locateTool, missingToolMessage, requireTool, toolsRequired, type Env, type Located } from './locate';
export { findKustomizer, type Kustomizer } from './kustomizer';
