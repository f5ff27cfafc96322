/** The editor's text routines, importable without `vscode` (the planner is bundled apart: dist/insertion.js). */
export * from './linkInsertion';
export { blockNames, type NamingOptions } from './linkNames';
export { formatLinkBlock, blockFormatOf, type BlockFormat, type BlockLink, type BlockOptions } from './linkBlocks';
export { findWebhookLinks, environmentOfFileName } from './linkRecognition';
export { configKey, envVariableName, textFormatOf, eolOf } from './syntax';
