/**
 * Plans an insertion at every cursor position of the corpus, off the test's thread, so that the
 * corpus test can stop a call that never ends (its watchdog) and name it. Says `start` before
 * each call and sends the plan after it.
 */
import { parentPort } from 'node:worker_threads';
import { planLinkInsertion } from '../../../src/editor/text';
import { CORPUS_LINK, corpusFiles, cursorPositions } from './corpusCases';

for (const file of corpusFiles()) {
  for (const cursor of cursorPositions(file.text)) {
    parentPort!.postMessage({ kind: 'start', file: file.name, cursor });
    const plan = planLinkInsertion({ text: file.text, fileName: file.name, languageId: '' }, [{ anchor: cursor, active: cursor }], CORPUS_LINK);
    parentPort!.postMessage({ kind: 'plan', file: file.name, cursor, plan });
  }
}
parentPort!.postMessage({ kind: 'done' });
