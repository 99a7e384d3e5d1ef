import type { ErrorResponse } from '@/sync/protocol'

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const
type Method = (typeof methods)[number]
type Handler = (request: Request) => Response

/**
 * Route handlers for the methods a route does not serve: 405 with an `Allow` header and a JSON
 * body like every other error (SPEC A12), where Next.js would answer an empty 405. A route that
 * serves GET serves HEAD too (Next.js runs GET for it).
 */
export function methodNotAllowed<A extends Method>(...allowed: A[]): Record<Exclude<Method, A>, Handler> {
  const allow = allowed.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])).join(', ')
  const handler: Handler = (request) =>
    Response.json({ type: 'error', message: `${request.method} is not served here; use ${allow}.` } satisfies ErrorResponse, {
      status: 405,
      headers: { allow, 'cache-control': 'no-store' },
    })
  return Object.fromEntries(methods.filter((m) => !(allowed as Method[]).includes(m)).map((m) => [m, handler])) as Record<
    Exclude<Method, A>,
    Handler
  >
}
