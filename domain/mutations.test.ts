import { testPglite } from '@/db/testing/pglite'
import { mutationsContract } from './testing/mutations-contract'

mutationsContract('PGlite (server schema)', async () => ({ ...(await testPglite('server')), runtime: 'server' }))
mutationsContract('PGlite (device schema)', async () => ({ ...(await testPglite('device')), runtime: 'device' }))
