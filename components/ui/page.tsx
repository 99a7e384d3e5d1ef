import type { ReactNode } from 'react'

/**
 * A page's main section, named by its one h1 (`<id>-heading`), with its content below the
 * heading.
 */
export function Page({ id, title, gap, children }: { id: string; title: ReactNode; gap: 'gap-4' | 'gap-6'; children?: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`} className={`flex flex-col ${gap}`}>
      <h1 id={`${id}-heading`} className="text-2xl font-semibold">
        {title}
      </h1>
      {children}
    </section>
  )
}
