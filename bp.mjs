import { build } from 'esbuild';
import { createRequire } from 'node:module';
const plugins = createRequire(import.meta.url)('./build/esbuild-plugins.cjs');
const r = await build({ entryPoints: [process.argv[2]], bundle: true, minify: true, format: 'esm', platform: 'node', target: 'node22', mainFields: ['module','main'], metafile: true, write: false, legalComments: 'none', plugins });
const out = Object.values(r.metafile.outputs)[0]; console.log(process.argv[2], (out.bytes/1024).toFixed(1), 'KiB');
const by={}; for(const [f,v] of Object.entries(out.inputs)){const k=f.replace(/^node_modules\/((@[^/]+\/)?[^/]+).*/,'$1').replace(/^(lib\/\w+).*/,'$1');by[k]=(by[k]||0)+v.bytesInOutput}
Object.entries(by).sort((a,b)=>b[1]-a[1]).slice(0,22).forEach(([k,v])=>console.log((v/1024).toFixed(1).padStart(8),k))
