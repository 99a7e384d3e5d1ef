'use client'

import { useId } from 'react'
import type { AttributeInfo } from '@/db/queries/local'
import type { DisplayUnits } from '@/domain/units'
import { fieldUnit } from './value-text'

/**
 * A labelled input for one attribute, in the user's display units: a checkbox for yes / no, a
 * list of its options for a choice (the value is the option's id), text otherwise. `error` is
 * shown under it and announced with it.
 */
export function ValueField({
  attribute,
  units,
  value,
  onChange,
  label,
  name,
  error,
}: {
  attribute: AttributeInfo
  units: DisplayUnits
  value: string
  onChange: (text: string) => void
  label?: string
  /** The form field's name: the argument path a refusal names (`values.<attribute id>`). */
  name?: string
  error?: string
}) {
  const errorId = `${useId()}-error`
  const unit = fieldUnit(attribute, units)
  const text = label ?? `${attribute.name}${unit ? ` (${unit})` : ''}`
  const inputClass =
    'min-h-11 w-full rounded-lg border border-zinc-300 bg-white px-3 text-base aria-invalid:border-red-600 dark:border-zinc-700 dark:bg-zinc-900'
  const described = { 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? errorId : undefined }
  const message = error ? (
    <span id={errorId} className="text-sm font-normal text-red-700 dark:text-red-400">
      {error}
    </span>
  ) : null
  if (attribute.type === 'boolean') {
    return (
      <label className="flex min-h-11 items-center gap-2">
        <input
          type="checkbox"
          name={name}
          className="size-5"
          checked={value === 'true'}
          onChange={(e) => onChange(e.target.checked ? 'true' : '')}
          {...described}
        />
        {text}
        {message}
      </label>
    )
  }
  if (attribute.type === 'choice') {
    // A retired option stays selectable only where a stored value already points at it.
    const options = attribute.options.filter((o) => !o.retired || o.id === value)
    return (
      <label className="flex flex-col gap-1 text-sm font-medium">
        {text}
        <select className={inputClass} name={name} value={value} onChange={(e) => onChange(e.target.value)} {...described}>
          <option value="">–</option>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
        {message}
      </label>
    )
  }
  const numeric = attribute.type !== 'text' && attribute.type !== 'duration'
  return (
    <label className="flex flex-col gap-1 text-sm font-medium">
      {text}
      <input
        className={inputClass}
        name={name}
        inputMode={numeric ? 'decimal' : undefined}
        value={value}
        placeholder={attribute.type === 'duration' ? '0:00' : undefined}
        onChange={(e) => onChange(e.target.value)}
        {...described}
      />
      {message}
    </label>
  )
}
