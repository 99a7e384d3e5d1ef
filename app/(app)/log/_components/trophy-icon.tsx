/** A trophy line icon in the text's colour, beside a record's words (which name it; the icon is hidden from screen readers). */
export function TrophyIcon({ className = 'size-4' }: { className?: string }) {
  return (
    <svg
      aria-hidden="true"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      className={`shrink-0 ${className}`}
    >
      <path d="M7 4h10v5a5 5 0 0 1-10 0V4Z" />
      <path d="M7 6H4.5a2.5 2.5 0 0 0 2.8 4.4M17 6h2.5a2.5 2.5 0 0 1-2.8 4.4" />
      <path d="M12 14v3M8 20h8M9.5 17h5l.5 3h-6l.5-3Z" />
    </svg>
  )
}
