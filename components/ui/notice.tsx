export type NoticeMessage = { ok: boolean; text: string }

/** The outcome of an action: announced politely when it worked, as an alert when it did not. */
export function Notice({ message }: { message: NoticeMessage | undefined }) {
  if (!message) return null
  return (
    <p
      role={message.ok ? 'status' : 'alert'}
      className={message.ok ? 'text-emerald-700 dark:text-emerald-400' : 'text-red-700 dark:text-red-400'}
    >
      {message.text}
    </p>
  )
}
