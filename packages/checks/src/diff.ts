/** The object-level diff of rendered output lives in ./diff/: objects, pairing, values, SOPS, Markdown, git. */
export * from './diff/index';
