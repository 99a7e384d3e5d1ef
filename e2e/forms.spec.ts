import { expect, signUp, test } from './fixtures'

test('a refused mutation says what is wrong beside the field, in words', async ({ page, account }) => {
  await signUp(page, account)
  await expect(page.getByRole('heading', { level: 1, name: "Ann's library" })).toBeVisible()
  await page.goto('/libraries')
  const create = page.getByRole('form', { name: 'Create a library' })
  // Spaces pass the browser's `required`; the mutation refuses the blank name.
  await create.getByLabel('New library').fill('   ')
  await create.getByRole('button', { name: 'Create' }).click()
  await expect(create.getByLabel('New library')).toHaveAccessibleDescription('Name must not be blank')
  await expect(create.getByLabel('New library')).toHaveAttribute('aria-invalid', 'true')

  await create.getByLabel('New library').fill('Gym')
  await create.getByRole('button', { name: 'Create' }).click()
  await expect(page.getByText('Library created.')).toBeVisible()
  await expect(create.getByLabel('New library')).not.toHaveAttribute('aria-invalid', 'true')
})
