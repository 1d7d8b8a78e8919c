export * from './model';
export * from './catalog';
export * from './mermaid';
export * from './mermaid-cli';
export * from './readme';
