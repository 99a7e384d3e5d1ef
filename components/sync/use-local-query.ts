'use client'

import { useQuery } from '@tanstack/react-query'
import type { Db } from '@/db/types'
import { useDevice } from './sync-provider'

/**
 * A query over the device database (compose `db/queries` functions in `fn`), held by TanStack
 * Query and refreshed whenever the device says its data changed. Never waits on the network.
 */
export function useLocalQuery<T>(key: readonly unknown[], fn: (db: Db, userId: string) => Promise<T>) {
  const device = useDevice()
  return useQuery({
    queryKey: ['local', device?.userId, ...key],
    queryFn: () => device!.query(fn),
    enabled: Boolean(device),
  })
}
