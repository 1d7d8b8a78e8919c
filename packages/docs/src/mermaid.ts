import type { ConcernView, FlowEdge, FlowNode } from './model';

/** Mermaid identifiers: letters, digits and underscores only. */
export function mermaidId(s: string): string {
  return s.replace(/[^A-Za-z0-9]/g, '_');
}

/**
 * Text inside a quoted Mermaid label. Quotes and the characters Mermaid's parser or its HTML labels
 * read as markup become entity codes, so any value (a cron schedule, a URL, a Slack channel) is safe.
 */
export function mermaidText(s: string): string {
  return s.replace(/[#"<>&|]/g, (c) => `#${c.charCodeAt(0)};`);
}

const lines = (l: string[]) => `"${l.map(mermaidText).join('<br/>')}"`;

function node(n: FlowNode): string {
  const text = lines(n.label);
  const id = mermaidId(n.id);
  const shape = n.shape ?? 'box';
  switch (shape) {
    case 'person':
      return `${id}([${text}]):::person`;
    case 'store':
      return `${id}[(${text})]:::store`;
    default:
      return `${id}[${text}]:::${shape}`;
  }
}

/** The C4 palette: people dark blue, the platform's parts blue, what lies outside it grey. */
const CLASSES = [
  'classDef person fill:#08427b,stroke:#052e56,color:#ffffff',
  'classDef system fill:#1168bd,stroke:#0b4884,color:#ffffff',
  'classDef box fill:#438dd5,stroke:#3c7fc0,color:#ffffff',
  'classDef external fill:#999999,stroke:#8a8a8a,color:#ffffff',
  'classDef store fill:#6b6b6b,stroke:#555555,color:#ffffff',
];

function edge(e: FlowEdge): string {
  const arrow = e.dotted ? '-.->' : '-->';
  return `${mermaidId(e.from)} ${arrow}|${lines(e.label)}| ${mermaidId(e.to)}`;
}

/** A concern view as a Mermaid flowchart: a subgraph per group, then every labelled edge. */
export function flowchart(v: ConcernView): string {
  const out = [`flowchart ${v.direction}`];
  for (const n of v.nodes.filter((x) => !x.group)) out.push(`  ${node(n)}`);
  for (const g of v.groups) {
    const members = v.nodes.filter((n) => n.group === g.id);
    if (!members.length) continue;
    out.push(`  subgraph ${mermaidId(g.id)}[${lines([g.label])}]`, ...members.map((n) => `    ${node(n)}`), '  end');
  }
  for (const e of v.edges) out.push(`  ${edge(e)}`);
  out.push(...CLASSES.map((c) => `  ${c}`));
  return out.join('\n');
}
