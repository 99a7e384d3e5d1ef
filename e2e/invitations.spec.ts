/**
 * Sharing waits for the invitee's yes (sync/SPEC.md S4): an owner shares a library with an
 * address; the person behind it (signing up later, or with an account already) sees the
 * invitation, and either accepts it (the library arrives on their device, and the owner's list
 * shows one line for them) or declines it (it vanishes for both).
 */
import type { Browser, Page } from '@playwright/test'
import { createExercise, expect, newAccount, signUp, test, type Account } from './fixtures'

async function person(browser: Browser, account: Account): Promise<Page> {
  const page = await (await browser.newContext()).newPage()
  await signUp(page, account)
  return page
}

/** The owner shares their default library with `email` from the libraries page. */
async function share(owner: Page, library: string, email: string) {
  await owner.getByRole('link', { name: 'Libraries' }).click()
  const card = owner.getByRole('article', { name: library })
  await card.getByLabel(`Share ${library} with (email)`).fill(email)
  await card.getByRole('button', { name: 'Share' }).click()
  await expect(owner.getByTestId('sync-pending')).toHaveText('All changes synced')
  return card
}

test('[S4] an invitation to an address without an account waits for its sign-up; accepted, the library arrives and the owner sees one line', async ({
  browser,
}) => {
  test.setTimeout(300_000)
  const annAccount = newAccount('Ann')
  const ann = await person(browser, annAccount)
  await expect(ann.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  await createExercise(ann, 'Front squat')
  const newcomer = newAccount('Nia')
  const card = await share(ann, "Ann's library", newcomer.email)
  await expect(card.getByRole('list', { name: "Invitations to Ann's library" })).toHaveText(
    `Invited ${newcomer.email} (can view) · waiting for them to accept`,
  )

  // The person signs up with that address and is shown the invitation first.
  const nia = await person(browser, newcomer)
  await expect(nia).toHaveURL(/\/libraries$/)
  const invitation = nia.getByRole('article', { name: "Invitation to Ann's library" })
  await expect(invitation).toContainText("Ann invites you to Ann's library (can view).")
  await invitation.getByRole('button', { name: 'Accept' }).click()
  await expect(nia.getByRole('status').filter({ hasText: 'You accepted' })).toBeVisible()
  await expect(invitation).toHaveCount(0)
  const shared = nia.getByRole('article', { name: "Ann's library" })
  await expect(shared).toContainText('view only')
  await expect(shared.getByRole('list', { name: "Activities in Ann's library" })).toContainText('Front squat')
  await expect(nia.getByTestId('sync-pending')).toHaveText('All changes synced')

  // The owner's list: the member, and no invitation line beside it.
  await expect(card.getByRole('list', { name: "Members of Ann's library" }).getByRole('listitem')).toHaveCount(1)
  await expect(card.getByRole('list', { name: "Members of Ann's library" })).toContainText('can view')
  await expect(card.getByRole('list', { name: "Invitations to Ann's library" })).toHaveCount(0)

  // A reload shows no invitation left to answer.
  await nia.reload()
  await expect(nia.getByRole('article', { name: "Ann's library" })).toBeVisible()
  await expect(nia.getByRole('heading', { name: 'Invitations' })).toHaveCount(0)
  await ann.context().close()
  await nia.context().close()
})

test('[S4] an invitation to an existing account lands nowhere until answered; declined, it vanishes for both', async ({ browser }) => {
  test.setTimeout(300_000)
  const bobAccount = newAccount('Bob')
  const bob = await person(browser, bobAccount)
  await expect(bob.getByRole('heading', { level: 1, name: "Bob's library" })).toBeVisible()
  const ann = await person(browser, newAccount('Ann'))
  await expect(ann.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  await createExercise(ann, 'Deadlift')
  const card = await share(ann, "Ann's library", bobAccount.email)
  // The same words as for an address without an account: nothing tells the owner it has one.
  await expect(card.getByRole('list', { name: "Invitations to Ann's library" })).toHaveText(
    `Invited ${bobAccount.email} (can view) · waiting for them to accept`,
  )

  await bob.getByRole('link', { name: 'Libraries' }).click()
  const invitation = bob.getByRole('article', { name: "Invitation to Ann's library" })
  await expect(invitation).toBeVisible()
  // Nothing of the library is on Bob's device before his answer.
  await expect(bob.getByText('Nobody has shared a library with you yet.')).toBeVisible()
  await invitation.getByRole('button', { name: 'Decline' }).click()
  await expect(bob.getByRole('status').filter({ hasText: "You declined Ann's library." })).toBeVisible()
  await expect(invitation).toHaveCount(0)
  await expect(bob.getByTestId('sync-pending')).toHaveText('All changes synced')

  // The owner's invitation line goes, and no member appears.
  await expect(card.getByRole('list', { name: "Invitations to Ann's library" })).toHaveCount(0)
  await expect(card.getByRole('list', { name: "Members of Ann's library" })).toHaveCount(0)
  await bob.reload()
  await expect(bob.getByText('Nobody has shared a library with you yet.')).toBeVisible()
  await expect(bob.getByRole('heading', { name: 'Invitations' })).toHaveCount(0)
  await ann.context().close()
  await bob.context().close()
})
