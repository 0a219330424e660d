import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { shownPath } from '../../src/cli/io.js';

describe('cli: shownPath', () => {
  it('shows a path below the working directory relative to it, others as they are', () => {
    const cwd = join('/home', 'ada', 'project');
    expect(shownPath(join(cwd, 'runs', 'mnist-1'), cwd)).toBe(join('runs', 'mnist-1'));
    expect(shownPath(join('/tmp', 'run'), cwd)).toBe(join('/tmp', 'run'));
    expect(shownPath(join(cwd, '..', 'other'), cwd)).toBe(join('/home', 'ada', 'other'));
    expect(shownPath(cwd, cwd)).toBe(cwd);
  });
});
