// The workbench as the UI test and the editor benchmark drive it: code-server 1.100.3 with the
// packaged extension, opened in Debian's Chromium through Playwright, and helpers that wait for
// what a person would see (never fixed sleeps).
import { launchBrowser, startCodeServer, workbenchUrl } from '../../scripts/vscode-web/codeServer.mjs';
import { ensureTestTools } from '../../scripts/vscode-web/install.mjs';

// Generous limits: typical times on a 2-core machine are ~3 s for the workbench, ~5 s for rows.
export const WORKBENCH_TIMEOUT = 30_000;
export const VIEW_TIMEOUT = 20_000;
export const ROWS_TIMEOUT = 20_000;

// Selectors (VS Code 1.100.3).
export const S = {
  workbench: '.monaco-workbench',
  ductapeButton: '.part.activitybar .action-item a.action-label[aria-label^="Ductape"]',
  sidebar: '.part.sidebar',
  sidebarTitle: '.part.sidebar .composite.title',
  welcome: '.part.sidebar .welcome-view-content',
  // The view's progress bar while the extension activates or a level loads.
  sidebarBusy: '.part.sidebar .monaco-progress-container.active',
  treeRow: '.part.sidebar .pane-body .monaco-list-row',
  editorLines: '.part.editor .monaco-editor .view-lines',
  quickInput: '.quick-input-widget',
  quickInputTitle: '.quick-input-widget .quick-input-title',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputMessage: '.quick-input-widget .quick-input-message',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  // A toast that finished sliding in (the class is set when its CSS transition ends).
  toast: '.notifications-toasts .notification-toast.notification-fade-in-done',
  editorLine: '.part.editor .monaco-editor .view-line',
  activeTab: '.part.editor .tabs-container .tab.active',
  // The editor's hover (the hidden one stays in the DOM between hovers).
  editorHover: '.part.editor .monaco-editor .monaco-hover:not(.hidden)',
  warningSquiggle: '.part.editor .monaco-editor .squiggly-warning',
  problems: '.part.panel .markers-panel',
  problemRow: '.part.panel .markers-panel .monaco-list-row',
  // The Quick Fix menu (Ctrl+.).
  codeAction: '.action-widget .monaco-list-row.action',
  statusBarItem: '.part.statusbar .statusbar-item',
  accountsButton: '.part.activitybar .action-item a.action-label[aria-label^="Accounts"]',
  // A context menu and its submenus (a submenu is a menu container inside its parent's).
  menu: '.context-view.monaco-menu-container',
  menuItem: '.context-view.monaco-menu-container .action-item',
  dialog: '.monaco-dialog-box',
};

/** User settings for a quiet, repeatable workbench: no tips, walkthroughs, updates or git. */
const QUIET_SETTINGS = {
  // Pinned so the pictures in docs/images/ do not follow the browser's colour scheme.
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.startupEditor': 'none',
  // No "Select a language…" hint over the untitled file in the pictures.
  'workbench.editor.empty.hint': 'hidden',
  'workbench.tips.enabled': false,
  // Toasts count as shown once their slide-in transition ends: keep transitions on.
  'workbench.reduceMotion': 'off',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.layoutControl.enabled': false,
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'remote.autoForwardPorts': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * Starts code-server with `vsix` installed and pointed at `apiUrl`, opens `workspaceDir` in a
 * fresh headless Chromium (clipboard granted) and waits for the workbench. `initScript` runs in
 * every page before the workbench's own scripts. The caller closes the browser, then stops the
 * server; when the start fails, both are closed here.
 */
export async function openWorkbench({ runDir, workspaceDir, vsix, apiUrl, settings = {}, initScript }) {
  const { chromiumPath } = await ensureTestTools();
  const server = await startCodeServer({
    workspace: workspaceDir,
    runDir,
    vsix,
    userSettings: { 'ductape.apiUrl': apiUrl, ...settings, ...QUIET_SETTINGS },
  });
  let context;
  try {
    context = await launchBrowser({ runDir, chromiumPath, grantClipboardFor: server.origin });
    if (initScript) await context.addInitScript(initScript);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setViewportSize({ width: 1280, height: 800 });
    page.setDefaultTimeout(VIEW_TIMEOUT);
    const url = workbenchUrl(server.origin, { folder: workspaceDir });
    await page.goto(url, { timeout: WORKBENCH_TIMEOUT });
    await page.locator(S.workbench).waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT });
    return { server, context, page, url, chromiumPath };
  } catch (error) {
    await context?.close().catch(() => {});
    await server.stop();
    throw error;
  }
}

export function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What a person does and sees in the workbench of `currentPage()` (a function, so that the
 * helpers can be made before the page exists).
 */
export function workbenchDriver(currentPage) {
  const exactly = (label) => new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`);

  /** The tree row (of the Ductape view) whose label is exactly `label`. */
  const treeRow = (label) =>
    currentPage().locator(S.treeRow).filter({ has: currentPage().locator('.label-name', { hasText: exactly(label) }) });

  /** The quick-pick row whose label is exactly `label` (after its icon, if it has one). */
  const pickRow = (label) =>
    currentPage().locator(S.quickInputRow).filter({ has: currentPage().locator('.label-name', { hasText: exactly(label) }) });

  /** Waits until the quick input's title contains `text`. */
  const quickInputTitled = (text) =>
    currentPage().waitForFunction(
      ([selector, expected]) => document.querySelector(selector)?.textContent?.includes(expected),
      [S.quickInputTitle, text],
      { timeout: ROWS_TIMEOUT },
    );

  /** Presses Enter in a quick input once its focused row is labelled exactly `label`. */
  async function acceptWhenFocused(input, label) {
    await currentPage()
      .locator(`${S.quickInputRow}.focused`)
      .filter({ has: currentPage().locator('.label-name', { hasText: exactly(label) }) })
      .waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
    await input.press('Enter');
  }

  return {
    treeRow,
    pickRow,
    quickInputTitled,
    acceptWhenFocused,

    /** Clicks a tree row, as a person expands (or collapses) it, and waits until it is `expanded`. */
    async toggle(label, { expanded = true } = {}) {
      const row = treeRow(label);
      await row.waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
      await row.click();
      await currentPage()
        .locator(`${S.treeRow}[aria-expanded="${expanded}"]`)
        .filter({ has: currentPage().locator('.label-name', { hasText: exactly(label) }) })
        .waitFor({ timeout: ROWS_TIMEOUT });
    },

    /** Waits for a notification toast containing `text`, fully shown. */
    async toastWith(text) {
      const toast = currentPage().locator(S.toast).filter({ hasText: text });
      await toast.first().waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
      return toast.first();
    },

    /** Runs a command from the palette (F1), clicking the entry whose title is exactly `title`. */
    async runCommand(title) {
      const page = currentPage();
      await page.keyboard.press('F1');
      const input = page.locator(S.quickInputBox);
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${title}`);
      // The palette lists matches alphabetically, so a longer command can come first ("File: Compare
      // New Untitled Text Files" before "File: New Untitled Text File"): click the exact one (a title
      // may end in "…", for a command that asks for more).
      const command = page.locator(S.quickInputRow).filter({
        has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(title)}(…|\\.\\.\\.)?\\s*$`) }),
      });
      await command.waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
      await command.click();
    },

    /**
     * One step (of `steps`) of a multi-step pick: waits for the step, for the row labelled `label`
     * (choices load after the step opens), calls `beforeFilter`, types `filter` and accepts once
     * the row is focused; then waits for the next step to open.
     */
    async pickStep({ stepNumber, steps = 4, filter, label, beforeFilter }) {
      await quickInputTitled(`(${stepNumber}/${steps})`);
      await pickRow(label).waitFor({ state: 'visible', timeout: ROWS_TIMEOUT });
      if (beforeFilter) await beforeFilter();
      const input = currentPage().locator(S.quickInputBox);
      await input.fill(filter);
      // Typing filters and focuses the first match; accept only once it is the one we want.
      await acceptWhenFocused(input, label);
      if (stepNumber < steps) await quickInputTitled(`(${stepNumber + 1}/${steps})`);
    },
  };
}
