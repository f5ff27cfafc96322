/** Every command the extension registers; package.json declares the same set (a test checks). */
export const Commands = {
  signIn: 'ductape.signIn',
  signInWithCredentials: 'ductape.signInWithCredentials',
  signInWithEmail: 'ductape.signInWithEmail',
  signOut: 'ductape.signOut',
  switchWorkspace: 'ductape.switchWorkspace',
  refresh: 'ductape.refresh',
  generateLink: 'ductape.generateLink',
  insertLink: 'ductape.insertLink',
  copyLink: 'ductape.copyLink',
  copyEnvironmentLinks: 'ductape.copyEnvironmentLinks',
  exportLinks: 'ductape.exportLinks',
  revealLink: 'ductape.revealLink',
  fixEnvironmentLink: 'ductape.fixEnvironmentLink',
  retry: 'ductape.retry',
  loadMore: 'ductape.loadMore',
  showLog: 'ductape.showLog',
  showStatusMenu: 'ductape.showStatusMenu',
  setDefaultEnvironment: 'ductape.setDefaultEnvironment',
} as const;

export const ContextKeys = {
  /** The stored key has been read: until then the view shows neither welcome nor tree. */
  ready: 'ductape.ready',
  signedIn: 'ductape.signedIn',
  multipleWorkspaces: 'ductape.multipleWorkspaces',
} as const;

export const WEBHOOKS_VIEW = 'ductape.webhooks';
