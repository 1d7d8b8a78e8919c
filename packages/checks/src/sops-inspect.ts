import { inspectSopsFile, type SopsFileInspection } from '@ck8s/secrets';

/** Stands for the file name while a text is inspected once for every file that holds it. */
const FILE = '\u0000file\u0000';
const MAX_TEXTS = 4096;
const inspected = new Map<string, SopsFileInspection>();

/**
 * inspectSopsFile, once per text: rendering copies each file under environments/<env>/secrets/ into
 * every cluster that reads it, and validate inspects both. The file name only appears in the problems,
 * so they are made with a stand-in and given the name of each file asked about.
 */
export function inspectSops(text: string, file: string): SopsFileInspection {
  let r = inspected.get(text);
  if (!r) {
    if (inspected.size >= MAX_TEXTS) inspected.clear();
    r = inspectSopsFile(text, FILE);
    inspected.set(text, r);
  }
  return { ...r, keys: [...r.keys], recipients: [...r.recipients], problems: r.problems.map((p) => p.split(FILE).join(file)) };
}
