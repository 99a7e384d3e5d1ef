'use client'

import { useEffect, useId, useRef, useState } from 'react'
import { useLocalQuery } from '@/components/sync/use-local-query'
import { useMutations } from '@/components/sync/use-mutations'
import { Button } from '@/components/ui/button'
import { Notice } from '@/components/ui/notice'
import { Select } from '@/components/ui/select'
import { equipmentOf } from '@/db/queries/equipment'
import type { MassUnit } from '@/db/schema'
import { defaultEquipment, MAX_BARS, MAX_PLATE_KINDS, type Equipment } from '@/domain/equipment'
import { newId } from '@/domain/ids'

/** The fields of one bar or one kind of plate as typed (text, so "2,5" or a blank can be read back and explained). */
type BarRow = { key: string; name: string; weight: string; unit: MassUnit }
type PlateRow = { key: string; weight: string; unit: MassUnit; pairs: string }
type Rows = { bars: BarRow[]; plates: PlateRow[] }

/** A field's name is its argument path, so a refusal's issue (`equipment.plates.0.weight`) lands beside it. */
const fieldName = (list: 'bars' | 'plates', index: number, field: string) => `equipment.${list}.${index}.${field}`

const form = 'equipment'
const input =
  'min-h-11 w-full min-w-0 rounded-lg border border-zinc-300 bg-white px-3 text-base outline-none focus:border-accent focus:ring-2 focus:ring-accent/30 aria-invalid:border-red-600 dark:border-zinc-700 dark:bg-zinc-900'
const header = 'text-xs font-medium text-zinc-600 dark:text-zinc-400'
const barColumns = 'grid grid-cols-[minmax(0,1fr)_4.5rem_4.75rem_2.75rem] items-center gap-2'
const plateColumns = 'grid grid-cols-[minmax(0,1fr)_4.75rem_minmax(0,1fr)_2.75rem] items-center gap-2'

/**
 * The stored equipment as fields. Keys go by position, and a draft starts from these very rows,
 * so the first keystroke does not remount the field being typed in.
 */
function rowsOf(equipment: Equipment): Rows {
  return {
    bars: equipment.bars.map((b, i) => ({ key: `bar-${i}`, name: b.name, weight: String(b.weight), unit: b.unit })),
    plates: equipment.plates.map((p, i) => ({ key: `plate-${i}`, weight: String(p.weight), unit: p.unit, pairs: String(p.pairs) })),
  }
}

/** A number as typed, with a decimal comma accepted; null when it is not one. */
function numberOf(text: string): number | null {
  const trimmed = text.trim()
  const n = Number(trimmed.replace(',', '.'))
  return trimmed === '' || !Number.isFinite(n) ? null : n
}

/**
 * The fields read back: the equipment to save, and each field that is not a number at all (the
 * page says so itself; every other rule is the mutation's, so device and server judge alike).
 */
function readRows(rows: Rows): { equipment: Equipment; problems: Record<string, string> } {
  const problems: Record<string, string> = {}
  const read = (text: string, name: string, what: string, example: string) => {
    const n = numberOf(text)
    if (n === null) problems[name] = `${what} must be a number, such as ${example}`
    return n ?? 0
  }
  return {
    equipment: {
      bars: rows.bars.map((b, i) => ({
        name: b.name,
        weight: read(b.weight, fieldName('bars', i, 'weight'), `Bar ${i + 1} weight`, '20'),
        unit: b.unit,
      })),
      plates: rows.plates.map((p, i) => ({
        weight: read(p.weight, fieldName('plates', i, 'weight'), `Plate ${i + 1} weight`, '2.5'),
        unit: p.unit,
        pairs: read(p.pairs, fieldName('plates', i, 'pairs'), `Plate ${i + 1} pairs`, '2'),
      })),
    },
    problems,
  }
}

/** Field by field: stored jsonb comes back with its keys in another order, so no JSON text compare. */
function sameEquipment(a: Equipment, b: Equipment): boolean {
  return (
    a.bars.length === b.bars.length &&
    a.plates.length === b.plates.length &&
    a.bars.every((x, i) => x.name === b.bars[i]!.name && x.weight === b.bars[i]!.weight && x.unit === b.bars[i]!.unit) &&
    a.plates.every((x, i) => x.weight === b.plates[i]!.weight && x.unit === b.plates[i]!.unit && x.pairs === b.plates[i]!.pairs)
  )
}

/** One field's error under its row, tied to the field for screen readers. */
function FieldError({ id, error }: { id: string; error: string | undefined }) {
  if (!error) return null
  return (
    <p id={id} className="text-sm text-red-700 dark:text-red-400">
      {error}
    </p>
  )
}

/**
 * The bars and plates the workout screen's plate and warm-up calculators load (the "Bars and
 * plates" link there points here, `/settings#equipment`). Edits stay a draft on the page until
 * Save, which replaces the equipment whole in one `updateSettings`; "Reset to the defaults"
 * stores null, so the defaults follow the weight unit again.
 *
 * A draft is dropped once the stored equipment changes to what it holds (it was saved, here or
 * elsewhere); a change from another device while editing leaves the draft alone.
 */
export function EquipmentEditor({ massUnit }: { massUnit: MassUnit }) {
  const stored = useLocalQuery(['equipment'], (db, userId) => equipmentOf(db, userId))
  const [draft, setDraft] = useState<{ from: Equipment; rows: Rows }>()
  // A new form after each save: `submit` resets the form it ran on, and a reset puts controlled
  // selects back on their first option without React knowing.
  const [saves, setSaves] = useState(0)
  const [confirmingReset, setConfirmingReset] = useState(false)
  const { run, submit, invalid, fieldError, message } = useMutations()
  const id = useId()
  const section = useRef<HTMLElement>(null)

  // The rows render after the device database answers, too late for the browser's own jump to
  // #equipment (and before them the page may be too short to scroll that far): jump once they are in.
  const loaded = stored.data !== undefined
  const jumped = useRef(false)
  useEffect(() => {
    if (!loaded || jumped.current) return
    jumped.current = true
    if (window.location.hash === '#equipment') section.current?.scrollIntoView()
  }, [loaded])

  const equipment = stored.data
  const saved =
    draft !== undefined && equipment !== undefined && draft.from !== equipment && sameEquipment(readRows(draft.rows).equipment, equipment)
  const editing = draft !== undefined && !saved ? draft : undefined
  const rows = editing?.rows ?? (equipment ? rowsOf(equipment) : undefined)
  const read = rows ? readRows(rows) : undefined
  const dirty =
    editing !== undefined &&
    read !== undefined &&
    equipment !== undefined &&
    (Object.keys(read.problems).length > 0 || !sameEquipment(read.equipment, equipment))
  const defaults = defaultEquipment(massUnit)
  const isDefault = equipment !== undefined && sameEquipment(equipment, defaults)

  const edit = (change: (rows: Rows) => Rows) => {
    if (equipment && rows) setDraft({ from: equipment, rows: change(rows) })
  }
  const setBar = (index: number, change: Partial<BarRow>) =>
    edit((r) => ({ ...r, bars: r.bars.map((b, i) => (i === index ? { ...b, ...change } : b)) }))
  const setPlate = (index: number, change: Partial<PlateRow>) =>
    edit((r) => ({ ...r, plates: r.plates.map((p, i) => (i === index ? { ...p, ...change } : p)) }))
  // Errors name rows by position: once a row goes, they would sit beside the wrong one.
  const remove = (change: (rows: Rows) => Rows) => {
    edit(change)
    invalid(form, {})
  }

  const save = submit(form, async () => {
    if (!read) return false
    if (Object.keys(read.problems).length > 0) {
      invalid(form, read.problems)
      return false
    }
    const ok = await run('updateSettings', { equipment: read.equipment }, { done: 'Saved your bars and plates.' })
    if (ok) setSaves((n) => n + 1)
    return ok
  })

  async function reset() {
    const ok = await run('updateSettings', { equipment: null }, { done: `Back to the defaults for ${massUnit}.` })
    setConfirmingReset(false)
    if (!ok) return
    setDraft(undefined)
    setSaves((n) => n + 1)
  }

  /** A field's error and the attributes that tie it to the field. */
  const errorOf = (name: string) => {
    const error = fieldError(form, name)
    return {
      error,
      errorId: `${id}-${name}-error`,
      props: error ? { 'aria-invalid': true, 'aria-describedby': `${id}-${name}-error` } : {},
    }
  }

  return (
    <section ref={section} id="equipment" aria-labelledby="equipment-heading" className="flex scroll-mt-4 flex-col gap-3">
      <div className="flex flex-col gap-1">
        <h2 id="equipment-heading" className="font-semibold">
          Bars and plates
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          What the plate and warm-up calculators load. Plates count in pairs, one of each pair on each side of the bar.
        </p>
      </div>
      {!rows || !equipment ? (
        <p className="text-zinc-600 dark:text-zinc-400">Loading your bars and plates…</p>
      ) : (
        <form key={saves} aria-label="Bars and plates" className="flex flex-col gap-5" onSubmit={save} noValidate>
          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 text-sm font-semibold">Bars</legend>
            <div aria-hidden className={`${barColumns} ${header}`}>
              <span>Name</span>
              <span>Weight</span>
              <span>Unit</span>
            </div>
            <ul className="flex flex-col gap-2">
              {rows.bars.map((bar, i) => {
                const name = errorOf(fieldName('bars', i, 'name'))
                const weight = errorOf(fieldName('bars', i, 'weight'))
                const unit = errorOf(fieldName('bars', i, 'unit'))
                return (
                  <li key={bar.key} className="flex flex-col gap-1">
                    <div className={barColumns}>
                      <input
                        className={input}
                        name={fieldName('bars', i, 'name')}
                        aria-label={`Bar ${i + 1} name`}
                        maxLength={40}
                        autoComplete="off"
                        value={bar.name}
                        onChange={(e) => setBar(i, { name: e.target.value })}
                        {...name.props}
                      />
                      <input
                        className={`${input} tabular-nums`}
                        name={fieldName('bars', i, 'weight')}
                        aria-label={`Bar ${i + 1} weight`}
                        inputMode="decimal"
                        autoComplete="off"
                        value={bar.weight}
                        onChange={(e) => setBar(i, { weight: e.target.value })}
                        {...weight.props}
                      />
                      <Select
                        name={fieldName('bars', i, 'unit')}
                        aria-label={`Bar ${i + 1} unit`}
                        value={bar.unit}
                        onChange={(e) => setBar(i, { unit: e.target.value as MassUnit })}
                        {...unit.props}
                      >
                        <option value="kg">kg</option>
                        <option value="lb">lb</option>
                      </Select>
                      <Button
                        type="button"
                        variant="ghost"
                        className="w-11 px-0 text-xl"
                        aria-label={`Remove ${bar.name.trim() || `bar ${i + 1}`}`}
                        disabled={rows.bars.length === 1}
                        onClick={() => remove((r) => ({ ...r, bars: r.bars.filter((_, j) => j !== i) }))}
                      >
                        <span aria-hidden>×</span>
                      </Button>
                    </div>
                    <FieldError id={name.errorId} error={name.error} />
                    <FieldError id={weight.errorId} error={weight.error} />
                    <FieldError id={unit.errorId} error={unit.error} />
                  </li>
                )
              })}
            </ul>
            <Button
              type="button"
              variant="secondary"
              className="self-start"
              disabled={rows.bars.length >= MAX_BARS}
              onClick={() => edit((r) => ({ ...r, bars: [...r.bars, { key: newId(), name: '', weight: '', unit: massUnit }] }))}
            >
              Add a bar
            </Button>
          </fieldset>

          <fieldset className="flex flex-col gap-2">
            <legend className="mb-1 text-sm font-semibold">Plates</legend>
            <div aria-hidden className={`${plateColumns} ${header}`}>
              <span>Weight</span>
              <span>Unit</span>
              <span>Pairs</span>
            </div>
            <ul className="flex flex-col gap-2">
              {rows.plates.map((plate, i) => {
                const weight = errorOf(fieldName('plates', i, 'weight'))
                const unit = errorOf(fieldName('plates', i, 'unit'))
                const pairs = errorOf(fieldName('plates', i, 'pairs'))
                const named = plate.weight.trim() ? `the ${plate.weight.trim()} ${plate.unit} plates` : `plate ${i + 1}`
                return (
                  <li key={plate.key} className="flex flex-col gap-1">
                    <div className={plateColumns}>
                      <input
                        className={`${input} tabular-nums`}
                        name={fieldName('plates', i, 'weight')}
                        aria-label={`Plate ${i + 1} weight`}
                        inputMode="decimal"
                        autoComplete="off"
                        value={plate.weight}
                        onChange={(e) => setPlate(i, { weight: e.target.value })}
                        {...weight.props}
                      />
                      <Select
                        name={fieldName('plates', i, 'unit')}
                        aria-label={`Plate ${i + 1} unit`}
                        value={plate.unit}
                        onChange={(e) => setPlate(i, { unit: e.target.value as MassUnit })}
                        {...unit.props}
                      >
                        <option value="kg">kg</option>
                        <option value="lb">lb</option>
                      </Select>
                      <input
                        className={`${input} tabular-nums`}
                        name={fieldName('plates', i, 'pairs')}
                        aria-label={`Plate ${i + 1} pairs`}
                        inputMode="numeric"
                        autoComplete="off"
                        value={plate.pairs}
                        onChange={(e) => setPlate(i, { pairs: e.target.value })}
                        {...pairs.props}
                      />
                      <Button
                        type="button"
                        variant="ghost"
                        className="w-11 px-0 text-xl"
                        aria-label={`Remove ${named}`}
                        onClick={() => remove((r) => ({ ...r, plates: r.plates.filter((_, j) => j !== i) }))}
                      >
                        <span aria-hidden>×</span>
                      </Button>
                    </div>
                    <FieldError id={weight.errorId} error={weight.error} />
                    <FieldError id={unit.errorId} error={unit.error} />
                    <FieldError id={pairs.errorId} error={pairs.error} />
                  </li>
                )
              })}
            </ul>
            {rows.plates.length === 0 ? (
              <p className="text-sm text-zinc-600 dark:text-zinc-400">No plates: the calculators load the bar alone.</p>
            ) : null}
            <Button
              type="button"
              variant="secondary"
              className="self-start"
              disabled={rows.plates.length >= MAX_PLATE_KINDS}
              onClick={() => edit((r) => ({ ...r, plates: [...r.plates, { key: newId(), weight: '', unit: massUnit, pairs: '1' }] }))}
            >
              Add a plate
            </Button>
          </fieldset>

          <Notice message={message} />
          {isDefault && !dirty ? <p className="text-sm text-zinc-600 dark:text-zinc-400">These are the defaults for {massUnit}.</p> : null}
          {confirmingReset ? (
            <div
              role="group"
              aria-label="Reset to the defaults"
              className="flex flex-col gap-2 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800"
            >
              <p className="text-sm">
                Replace your bars and plates with the defaults for {massUnit} ({defaults.bars[0]!.weight} {massUnit} bar,{' '}
                {defaults.plates.map((p) => p.weight).join(', ')} {massUnit} plates)?
              </p>
              <div className="flex flex-wrap gap-2">
                <Button type="button" onClick={() => void reset()}>
                  Reset
                </Button>
                <Button type="button" variant="secondary" onClick={() => setConfirmingReset(false)}>
                  Keep mine
                </Button>
              </div>
            </div>
          ) : (
            <div className="flex flex-wrap gap-2">
              <Button type="submit" disabled={!dirty}>
                Save bars and plates
              </Button>
              <Button type="button" variant="secondary" disabled={isDefault && !dirty} onClick={() => setConfirmingReset(true)}>
                Reset to the defaults
              </Button>
            </div>
          )}
        </form>
      )}
    </section>
  )
}
