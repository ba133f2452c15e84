import { isIP } from 'node:net';
import type { NextFunction, Request, Response } from 'express';

/**
 * True when a `Host` header names this machine: `localhost`, 127.0.0.0/8 or
 * ::1, with or without a port. A node without API_TOKEN serves only such
 * requests, so a web page elsewhere cannot reach it through DNS rebinding.
 */
export function isLoopbackHost(header: string | undefined): boolean {
  if (!header) return false;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(header);
  const host = (bracketed ? bracketed[1] : header.replace(/:\d+$/, '')).toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return isIP(host) === 6 && (host === '::1' || host === '0:0:0:0:0:0:0:1');
}

/**
 * Express middleware for a node without API_TOKEN: a request addressed to any
 * other host gets 403 before anything else runs, on every route (the
 * framework's and the documentation's alike).
 */
export function loopbackOnly(request: Request, response: Response, next: NextFunction): void {
  if (isLoopbackHost(request.headers.host)) return next();
  response.status(403).json({
    statusCode: 403,
    error: 'Forbidden',
    message: 'this node has no API_TOKEN and serves only requests addressed to a loopback host',
  });
}
