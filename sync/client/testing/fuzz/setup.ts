import { applyOnServer } from '../../../server/records'
import { handlerFetch } from '../../../server/testing/fetch'
import { SyncClient, initDevice } from '../../client'
import { MemoryBlobStore } from '../../media/blob-store'
import { DevicePhotos } from '../../media/photos'
import { UploadQueue } from '../../media/uploads'
import { HttpTransport } from '../../transport'
import { ScriptedFetch } from '../network'
import { activityArgs, remember } from './generators'
import { FaultyNetwork } from './network'
import { recordingMutate } from './photos'
import { resetDevice, resetServer, type FuzzEnv } from './pool'
import { attempt } from './requests'
import { World, describeMutation, type AnyMutation, type Device, type User } from './world'

/** Resets the pool and makes the seed's users, their sharing, and the devices. */
export async function setup(seed: number, env: FuzzEnv): Promise<World> {
  const w = new World(seed, env.server)
  w.serverExec = (text) => env.serverDb.pg.exec(text)
  const { rng } = w
  await resetServer(env.serverDb.pg)
  for (const d of env.deviceDbs) await resetDevice(d.pg)

  const names = rng.chance(0.5) ? ['Ann', 'Bob', 'Cat'] : ['Ann', 'Bob']
  // Each user as sign-up makes them (provisionUser): the user, a default library, settings.
  const signUps: string[] = []
  for (const name of names) {
    const user: User = { id: rng.uuid(), name, email: `${name.toLowerCase()}@example.com`, token: rng.uuid(), libraryId: rng.uuid() }
    signUps.push(
      `insert into users (id, name, email) values ('${user.id}', '${name}', '${user.email}');
       insert into libraries (id, owner_id, name, is_default) values ('${user.libraryId}', '${user.id}', '${name}''s library', true);
       insert into user_settings (user_id) values ('${user.id}');
       insert into sessions (id, user_id, token, expires_at) values ('${rng.uuid()}', '${user.id}', '${user.token}', now() + interval '1 day');`,
    )
    w.users.push(user)
    w.known.libraries.push({ id: user.libraryId, ownerId: user.id })
  }
  await env.serverDb.pg.exec(signUps.join('\n'))
  const [ann, bob, cat] = w.users as [User, User, User | undefined]
  // Some activities to log against, and the sharing: Ann's library with Bob as an editor, and
  // with three users one more share.
  const seedActivities: [User, number][] = [
    [ann, rng.int(1, 2)],
    [bob, rng.int(0, 1)],
    ...(cat ? [[cat, rng.int(0, 1)] as [User, number]] : []),
  ]
  for (const [user, n] of seedActivities) {
    for (let i = 0; i < n; i++) {
      const activity = activityArgs(rng, user.libraryId)
      await serverMutation(w, user, { name: 'createActivity', args: activity }, true)
      // An entry or two logged already, for edits and photos to start from.
      for (let e = rng.int(0, 2); e > 0; e--) {
        const [reps] = activity.attributes ?? []
        const values = reps ? { [reps.id]: rng.int(1, 12) } : {}
        const entry = {
          id: rng.uuid(),
          activityId: activity.id,
          performedAt: new Date(Date.UTC(2026, 0, rng.int(1, 28), 9)).toISOString(),
          values,
        }
        await serverMutation(w, user, { name: 'logEntry', args: { entry } }, true)
      }
    }
  }
  // S4: each invitation is accepted by its invitee, which grants it.
  const share = async (owner: User, member: User, role: 'editor' | 'viewer') => {
    const inviteId = rng.uuid()
    await serverMutation(
      w,
      owner,
      { name: 'shareLibrary', args: { inviteId, libraryId: owner.libraryId, email: member.email, role } },
      true,
    )
    await serverMutation(w, member, { name: 'acceptInvitation', args: { inviteId } }, true)
  }
  await share(ann, bob, 'editor')
  if (cat) {
    if (rng.chance(0.5)) await share(ann, cat, 'viewer')
    else await share(bob, cat, 'editor')
  }

  const owners = [ann, bob, ann, cat && rng.chance(0.7) ? cat : rng.pick(w.users)]
  for (const [i, local] of env.deviceDbs.entries()) {
    const user = owners[i % owners.length]!
    const id = rng.uuid()
    await initDevice(local.db, { deviceId: id, userId: user.id })
    // Each device signs in on its own (A7: one's session can end while another's lives).
    const token = rng.uuid()
    await env.serverDb.pg.query(`insert into sessions (id, user_id, token, expires_at) values ($1, $2, $3, now() + interval '1 day')`, [
      rng.uuid(),
      user.id,
      token,
    ])
    const net = new FaultyNetwork(handlerFetch(() => env.server.service, token))
    net.online = rng.chance(0.85)
    // Some devices sit behind a proxy that takes less than the protocol's body limit (B5).
    if (rng.chance(0.5)) net.proxyLimit = rng.int(200_000, 700_000)
    const wire = new ScriptedFetch(net.fetch)
    const transport = new HttpTransport({ fetch: wire.fetch })
    const client = new SyncClient({
      db: local.db,
      transport,
      deviceId: id,
      userId: user.id,
      deviceName: `d${i}`,
      pushBatch: rng.weighted([
        [1, 1],
        [1, 2],
        [3, 100],
      ]),
      pullLimit: rng.weighted([
        [1, 2],
        [2, 5],
        [7, 1000],
      ]),
    })
    // Photos as the Device wires them (sync/client/device.ts), on the same wire; the cache's
    // budget a few photos' worth, so that it fills and evicts (M11).
    const blobs = new MemoryBlobStore()
    const photos = new DevicePhotos({ db: local.db, blobs, transport, mutate: recordingMutate(w, () => device) })
    const uploads = new UploadQueue({ db: local.db, blobs, transport, sweep: () => photos.sweep() })
    const budget = rng.int(3_000, 40_000)
    await photos.setBudget(budget)
    const device: Device = {
      name: `d${i}(${user.name})`,
      user,
      id,
      db: local.db,
      net,
      wire,
      client,
      photos,
      uploads,
      blobs,
      budget,
      token,
      queued: new Map(),
      lost: new Set(),
    }
    w.devices.push(device)
  }
  w.log(
    `users ${w.users.map((u) => `${u.name}=${u.id}`).join(' ')}; devices ${w.devices.map((d) => `${d.name}${d.net.online ? '' : ' offline'}`).join(', ')}`,
  )
  // Most devices start synced; the others make their first snapshot under fire.
  for (const d of w.devices) {
    if (!d.net.online || rng.chance(0.3)) continue
    await attempt(w, d, 'first sync', () => d.client.sync(), false)
  }
  return w
}

/** Runs a mutation straight on the server, as another tab of `user` would (not a simulated device). */
export async function serverMutation(w: World, user: User, m: AnyMutation, mustApply = false) {
  // As a push runs it, records summary included (W7).
  const outcome = await applyOnServer(w.server.db, user.id, m.name, m.args)
  if (mustApply && outcome.status !== 'applied') throw new Error(`setup: ${m.name} was rejected: ${outcome.message}`)
  remember(w, user, m)
  w.log(`server as ${user.name}: ${describeMutation(m)} → ${outcome.status === 'applied' ? 'applied' : `rejected ${outcome.code}`}`)
}
