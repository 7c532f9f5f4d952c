// kinesalite on 127.0.0.1 only (its own command line listens on every interface).
// Usage: node serve.js PORT — streams are ACTIVE at once, as moto's are.
const kinesalite = require('kinesalite')
const port = Number(process.argv[2])
const server = kinesalite({
  createStreamMs: 0,
  deleteStreamMs: 0,
  updateStreamMs: 0,
  shardLimit: 100,
}).listen(port, '127.0.0.1', () => {
  const a = server.address()
  console.log(`kinesalite at http://${a.address}:${a.port}`)
})
