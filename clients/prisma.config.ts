// Prisma CLI configuration for the dropskills_v2 clients.
//
// No engine binary is ever downloaded:
// - schema.prisma's generator has `engineType = "client"`: the Rust-free client
//   (a WebAssembly query compiler, shipped in the npm package, plus the pg driver
//   adapter @prisma/adapter-pg at run time);
// - `engine: 'js'` below runs the CLI's schema engine as WebAssembly through the
//   same adapter.
// So `npm ci --ignore-scripts && npx prisma generate` needs nothing but the npm
// registry (and `prisma generate` never connects to a database).
//
// The connection is libpq's: DATABASE_URL when set, otherwise PGHOST, PGPORT,
// PGUSER, PGPASSWORD, PGDATABASE (as scripts/lib.sh exports them), read by pg.
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

// Prisma 6 reads `url = env("DATABASE_URL")` of schema.prisma before anything
// else to learn the generator's engineType; when the variable is missing it
// falls back to the Rust query engine and tries to download it. The adapter
// below is what connects: this URL only has to exist (and says the same as PG*).
const givenUrl = process.env.DATABASE_URL;
if (!givenUrl) {
  const { PGHOST, PGPORT, PGUSER, PGDATABASE } = process.env;
  const socket = PGHOST?.startsWith('/');
  const url = new URL('postgresql://localhost');
  if (PGHOST && !socket) url.hostname = PGHOST;
  if (PGPORT) url.port = PGPORT;
  if (PGUSER) url.username = encodeURIComponent(PGUSER);
  url.pathname = '/' + encodeURIComponent(PGDATABASE ?? PGUSER ?? 'postgres');
  if (socket) url.searchParams.set('host', PGHOST!);
  process.env.DATABASE_URL = url.toString();
}

export default defineConfig({
  schema: 'prisma/schema.prisma',
  experimental: { adapter: true },
  engine: 'js',
  async adapter() {
    // Without DATABASE_URL, pg.Pool({}) reads PG* (and PGPASSWORD, ~/.pgpass) itself.
    return new PrismaPg(givenUrl ? { connectionString: givenUrl } : {}, { schema: 'dropskills_v2' });
  },
});
