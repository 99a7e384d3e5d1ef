import type { SelectHTMLAttributes } from 'react'

/** A native select in the app's input style. */
export function Select({ className = '', ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <select
      className={`min-h-11 rounded-lg border border-zinc-300 bg-white px-3 dark:border-zinc-700 dark:bg-zinc-900 ${className}`.trim()}
      {...props}
    />
  )
}

/** A select labelled above it, the label wrapping it; `grow` lets it take the row's free width. */
export function SelectField({
  label,
  grow = false,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; grow?: boolean }) {
  return (
    <label className={`flex ${grow ? 'flex-1 ' : ''}flex-col gap-1 text-sm font-medium`}>
      {label}
      <Select {...props} />
    </label>
  )
}

/** One option per item, its id the value and its name the text. */
export function NamedOptions({ items }: { items: readonly { id: string; name: string }[] }) {
  return items.map((item) => (
    <option key={item.id} value={item.id}>
      {item.name}
    </option>
  ))
}
