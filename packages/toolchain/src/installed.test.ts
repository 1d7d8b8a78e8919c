import { describe, expect, it } from 'vitest';
import { describeTool, locateTool, missingToolMessage, toolsRequired } from './locate';
import { readPins } from './pins';

// With CI=true each pinned tool must be found: this is the test that fails, naming the tool, when one
// is removed from .tools/bin. Without CI the fallbacks apply and the test only reports.
describe.each(readPins().map((p) => [p.name, p] as const))('pinned tool %s', (name) => {
  it(toolsRequired() ? 'is installed (CI=true)' : 'is reported (fallbacks allowed outside CI)', () => {
    const found = locateTool(name);
    console.log(`toolchain: ${describeTool(name)}`);
    if (toolsRequired()) expect(found, missingToolMessage(name, 'required with CI=true')).toBeDefined();
  });
});
