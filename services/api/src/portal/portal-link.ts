export const PORTAL_PATH = '/portal';

/** The sign-in link: the one-time token rides in the fragment, which browsers never send to a server. */
export const portalLinkUrl = (publicApiUrl: string, token: string) =>
  `${publicApiUrl.replace(/\/$/, '')}${PORTAL_PATH}#token=${token}`;
