'use client'

import { useQuery } from '@tanstack/react-query'
import type { Db } from '@/db/types'
import { useSync } from './sync-provider'

/**
 * A query over the device database, held by TanStack Query and refreshed whenever the local
 * database commits a change (see SyncProvider). Never waits on the network.
 */
export function useLocalQuery<T>(key: readonly unknown[], fn: (db: Db, userId: string) => Promise<T>) {
  const sync = useSync()
  return useQuery({
    queryKey: ['local', sync?.userId, ...key],
    queryFn: () => fn(sync!.db, sync!.userId),
    enabled: Boolean(sync),
  })
}
