/** The operator's browser pages. */
export const BULL_BOARD_PATH = '/admin/queues';
export const ADMIN_LOGIN_PATH = '/admin/login';
export const ADMIN_LOGOUT_PATH = '/admin/logout';
