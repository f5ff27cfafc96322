/**
 * The extension-host suite's entry: VS Code (code-server here, or test-electron) loads this
 * module inside the real extension host and calls `run()`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

const FIRST = 'activation.test.js';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 20_000, reporter: 'spec' });
  const grep = process.env.DUCTAPE_SUITE_GREP;
  if (grep) mocha.grep(grep);
  // Activation first: the host activates the extension once, in that file's test.
  const files = fs.readdirSync(__dirname).filter((file) => file.endsWith('.test.js'));
  for (const file of files.sort((a, b) => Number(b === FIRST) - Number(a === FIRST) || a.localeCompare(b))) {
    mocha.addFile(path.join(__dirname, file));
  }
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      // One line the test driver reads, whichever host ran the suite.
      console.log(`extension host: ${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} extension-host tests failed`));
      else resolve();
    });
  });
}
