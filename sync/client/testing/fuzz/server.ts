import { sql } from 'drizzle-orm'
import { rows } from '@/db/rows'
import type { Db } from '@/db/types'
import type { SyncService } from '../../../server/http'
import { ChangeNotifier, type Listen } from '../../../server/live'

/**
 * The sync service over one database. Sessions live in the database, so a restart (a new
 * service with a new notifier) loses nothing a real restart would keep.
 */
export class SimServer {
  service: SyncService
  private constructor(
    readonly db: Db,
    private readonly listen: Listen,
    service: SyncService,
  ) {
    this.service = service
  }

  static async start(db: Db, listen: Listen): Promise<SimServer> {
    return new SimServer(db, listen, await SimServer.service(db, listen))
  }

  private static async service(db: Db, listen: Listen): Promise<SyncService> {
    const notifier = await ChangeNotifier.start(listen)
    return {
      db,
      notifier,
      async authenticate(request) {
        const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? ''
        const [session] = await rows<{ user_id: string }>(
          db,
          sql`select user_id::text from sessions where token = ${token} and expires_at > now()`,
        )
        return session?.user_id ?? null
      },
    }
  }

  /** Stops this server process and starts another on the same database. */
  async restart(): Promise<void> {
    const old = this.service
    this.service = await SimServer.service(this.db, this.listen)
    await old.notifier.close()
  }

  async close(): Promise<void> {
    await this.service.notifier.close()
  }
}
