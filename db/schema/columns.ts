import { timestamp, uuid } from 'drizzle-orm/pg-core'

/** A time-ordered UUID (v7) primary key. Ids are made on the device so offline creation works. */
export const id = () => uuid().primaryKey()

/** Wall-clock instant, always with a time zone so devices in different zones agree. */
export const instant = () => timestamp({ withTimezone: true, mode: 'date' })

export const createdAt = () => instant().notNull().defaultNow()
export const updatedAt = () => instant().notNull().defaultNow()
