import { v7 } from 'uuid'

/** A new time-ordered UUID (v7): made on the device, sorts by creation time, keeps indexes local. */
export function newId(): string {
  return v7()
}
