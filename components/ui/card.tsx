import type { HTMLAttributes } from 'react'

/** A bordered panel: an article (one library, say) or a section (one chart), named by its props. */
export function Card({
  as: Tag = 'article',
  gap = 'gap-2',
  className = '',
  ...props
}: HTMLAttributes<HTMLElement> & { as?: 'article' | 'section'; gap?: 'gap-2' | 'gap-3' }) {
  return (
    <Tag className={`flex flex-col ${gap} rounded-xl border border-zinc-200 p-4 dark:border-zinc-800 ${className}`.trim()} {...props} />
  )
}
