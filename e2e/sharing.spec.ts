/**
 * Scope changes seen by a user: access to a shared library is revoked while their device is
 * offline with a pending write into it. On reconnect the write is reported as rejected with its
 * reason, and the library's rows are gone from the device (sync/SPEC.md S3, B3, B7).
 */
import { expect, newAccount, signUp, test } from './fixtures'

test('[B7][B3] a revoked library disappears from an offline device on reconnect, and its pending write is reported with the reason', async ({
  browser,
}) => {
  test.setTimeout(300_000)
  const bob = newAccount('Bob')
  const bobContext = await browser.newContext()
  const bobPage = await bobContext.newPage()
  await signUp(bobPage, bob)
  await expect(bobPage.getByRole('heading', { level: 1, name: "Bob's library" })).toBeVisible()

  const annContext = await browser.newContext()
  const ann = await annContext.newPage()
  await signUp(ann, newAccount('Ann'))
  await expect(ann.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  await ann.getByRole('link', { name: 'Libraries' }).click()
  await ann.getByLabel('New library').fill('Club')
  await ann.getByRole('button', { name: 'Create' }).click()
  const club = ann.getByRole('article', { name: 'Club' })
  await club.getByLabel('Share Club with (email)').fill(bob.email)
  await club.getByLabel('Role').selectOption('editor')
  await club.getByRole('button', { name: 'Share' }).click()
  // The invitation is written (it is listed), then it reaches the server.
  await expect(club.getByRole('list', { name: 'Invitations to Club' })).toContainText(`Invited ${bob.email}`)
  await expect(ann.getByTestId('sync-pending')).toHaveText('All changes synced')

  // Bob accepts the invitation (S4); his device gains the library live, then goes offline and
  // writes into it.
  await bobPage.getByRole('link', { name: 'Libraries' }).click()
  await bobPage.getByRole('article', { name: 'Invitation to Club' }).getByRole('button', { name: 'Accept' }).click()
  await expect(club.getByRole('list', { name: 'Members of Club' })).toContainText('can edit')
  const shared = bobPage.getByRole('article', { name: 'Club' })
  await expect(shared).toContainText('you can edit')
  await bobContext.setOffline(true)
  await shared.getByLabel('New activity in Club').fill('Offline lunge')
  await shared.getByRole('button', { name: 'Add' }).click()
  await expect(shared.getByRole('list', { name: 'Activities in Club' })).toContainText('Offline lunge')
  await expect(bobPage.getByTestId('sync-pending')).toHaveText('1 pending')

  await club.getByRole('button', { name: 'Revoke' }).click()
  await expect(ann.getByRole('status').filter({ hasText: 'Access to Club revoked.' })).toBeVisible()
  await expect(ann.getByTestId('sync-pending')).toHaveText('All changes synced')

  await bobContext.setOffline(false)
  const rejected = bobPage.getByRole('region', { name: 'Rejected changes' })
  await expect(rejected).toBeVisible({ timeout: 60_000 })
  await expect(rejected).toContainText(/not shared with you|not found|no longer/i)
  await expect(bobPage.getByRole('article', { name: 'Club' })).toHaveCount(0)
  await expect(bobPage.getByTestId('sync-pending')).toHaveText('All changes synced')
  await bobContext.close()
  await annContext.close()
})
