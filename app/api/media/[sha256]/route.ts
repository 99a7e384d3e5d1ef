import { getServer } from '@/server'
import { methodNotAllowed } from '@/server/method-not-allowed'
import { handleMediaGet, handleMediaPut } from '@/sync/server/media'

type Context = { params: Promise<{ sha256: string }> }

/** A photo's bytes (SPEC M9); HEAD answers the same without them. */
export async function GET(request: Request, { params }: Context) {
  return handleMediaGet((await getServer()).sync, request, (await params).sha256)
}

export const HEAD = GET

/** Stores a photo's bytes under their SHA-256 (SPEC M8). */
export async function PUT(request: Request, { params }: Context) {
  return handleMediaPut((await getServer()).sync, request, (await params).sha256)
}

export const { POST, PATCH, DELETE } = methodNotAllowed('GET', 'PUT')
