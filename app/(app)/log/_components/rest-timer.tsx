'use client'

import { useEffect, useRef, useState } from 'react'
import { formatDuration } from '@/domain/units'
import type { Rest } from './workout-draft'

/**
 * The rest between sets, pinned to the top of the screen while the lifter scrolls. It counts to
 * an absolute end time (kept in the draft), so a locked phone or a reload finds it where it
 * should be. At the end: a vibration where the device has one, a short tone, and a notification
 * when the page is in the background and the user allowed them.
 */
export function RestTimer({ rest, onChange }: { rest: Rest | null; onChange: (rest: Rest | null) => void }) {
  const [now, setNow] = useState(() => Date.now())
  const cued = useRef<number | null>(null)

  useEffect(() => {
    if (!rest) return
    const timer = setInterval(() => setNow(Date.now()), 250)
    return () => clearInterval(timer)
  }, [rest])

  const remaining = rest ? Math.max(0, Math.ceil((rest.endsAt - now) / 1000)) : 0
  useEffect(() => {
    if (!rest || remaining > 0 || cued.current === rest.endsAt) return
    cued.current = rest.endsAt
    // Only a rest that ended while this page watched is cued; one long over (a reload) is not.
    if (now - rest.endsAt < 5_000) cue()
  }, [rest, remaining, now])

  if (!rest) return null
  const over = remaining === 0
  const adjust = (seconds: number) => {
    const endsAt = Math.max(Date.now(), rest.endsAt + seconds * 1000)
    onChange({ endsAt, totalS: Math.max(0, rest.totalS + seconds) })
  }
  const progress = rest.totalS > 0 ? Math.min(1, remaining / rest.totalS) : 0
  return (
    <div
      role="timer"
      aria-label="Rest timer"
      className="sticky top-0 z-20 -mx-4 flex items-center gap-2 border-b border-zinc-200 bg-white/95 px-4 py-2 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/95"
    >
      <div className="flex min-w-0 flex-1 flex-col">
        <span className="text-lg font-semibold tabular-nums" aria-live={over ? 'assertive' : 'off'}>
          {over ? 'Rest over — next set' : `Rest ${formatDuration(remaining)}`}
        </span>
        <span aria-hidden className="mt-1 h-1 rounded bg-zinc-200 dark:bg-zinc-800">
          <span className="block h-1 rounded bg-accent-strong" style={{ width: `${progress * 100}%` }} />
        </span>
      </div>
      <button type="button" className={chip} onClick={() => adjust(-15)} aria-label="15 seconds less rest">
        −15 s
      </button>
      <button type="button" className={chip} onClick={() => adjust(15)} aria-label="15 seconds more rest">
        +15 s
      </button>
      <button type="button" className={chip} onClick={() => onChange(null)}>
        {over ? 'Close' : 'Skip'}
      </button>
    </div>
  )
}

const chip =
  'min-h-11 rounded-lg border border-zinc-300 px-3 text-sm font-medium hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800'

/** Asks once, from a tap, whether a rest may notify while the app is in the background. */
export function askToNotify(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return
  void Notification.requestPermission().catch(() => undefined)
}

function cue() {
  navigator.vibrate?.([200, 100, 200])
  try {
    const audio = new AudioContext()
    const tone = audio.createOscillator()
    const gain = audio.createGain()
    tone.frequency.value = 880
    gain.gain.setValueAtTime(0.2, audio.currentTime)
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.6)
    tone.connect(gain).connect(audio.destination)
    tone.start()
    tone.stop(audio.currentTime + 0.6)
    tone.onended = () => void audio.close()
  } catch {
    /* no audio here */
  }
  if (document.visibilityState === 'hidden' && typeof Notification !== 'undefined' && Notification.permission === 'granted') {
    try {
      new Notification('Rest over', { body: 'Time for your next set.', tag: 'cadence-rest' })
    } catch {
      // Android allows notifications only from the service worker.
      void navigator.serviceWorker?.ready.then((r) =>
        r.showNotification('Rest over', { body: 'Time for your next set.', tag: 'cadence-rest' }),
      )
    }
  }
}
