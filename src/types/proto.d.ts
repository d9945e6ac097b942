// .proto files are bundled as text (tsup loader, vitest plugin) so the single-file
// executables carry their own protocol definition.
declare module '*.proto' {
  const text: string
  export default text
}
