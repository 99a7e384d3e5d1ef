import Link from 'next/link'

/** What a page about one activity shows when that activity is not on this device. */
export function NoSuchActivity() {
  return (
    <p>
      There is no such activity on this device.{' '}
      <Link href="/" className="underline">
        Back to the library
      </Link>
    </p>
  )
}
