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
  setDestination: 'ductape.setDestination',
  receiveLocally: 'ductape.receiveLocally',
  restoreDestination: 'ductape.restoreDestination',
  openSample: 'ductape.openSample',
  sendSample: 'ductape.sendSample',
  showDeliveries: 'ductape.showDeliveries',
  openDelivery: 'ductape.openDelivery',
  filterDeliveries: 'ductape.filterDeliveries',
  refreshDeliveries: 'ductape.refreshDeliveries',
  unfilterDeliveries: 'ductape.unfilterDeliveries',
  showLocalMenu: 'ductape.showLocalMenu',
} as const;

export const ContextKeys = {
  /** The stored key has been read: until then the view shows neither welcome nor tree. */
  ready: 'ductape.ready',
  signedIn: 'ductape.signedIn',
  multipleWorkspaces: 'ductape.multipleWorkspaces',
  /** Some registration delivers to this machine (Receive on This Machine). */
  receivingLocally: 'ductape.receivingLocally',
  /** The Recent Deliveries rows show failures only. */
  failedDeliveriesOnly: 'ductape.failedDeliveriesOnly',
} as const;

export const WEBHOOKS_VIEW = 'ductape.webhooks';
