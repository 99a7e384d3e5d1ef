import { testPostgres } from '@/db/testing/postgres'
import { mutationsContract } from './testing/mutations-contract'

mutationsContract('PostgreSQL', async () => ({ ...(await testPostgres()), runtime: 'server' }))
