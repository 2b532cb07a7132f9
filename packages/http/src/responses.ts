import type { Response } from 'express';

export function sendData(res: Response, data: unknown, status = 200, message?: string): void {
  res.status(status).json(message === undefined ? { success: true, data } : { success: true, data, message });
}
