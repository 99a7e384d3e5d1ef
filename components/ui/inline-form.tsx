import type { FormHTMLAttributes } from 'react'

/** A short form whose fields and button stand in a row on wider screens; named for screen readers. */
export function InlineForm(props: FormHTMLAttributes<HTMLFormElement> & { 'aria-label': string }) {
  return <form className="flex flex-col gap-2 sm:flex-row sm:items-end" {...props} />
}
