/**
 * Feeds an SSE stream's text as it arrives and calls `onFrame` with each complete frame (the
 * lines before a blank line), however the frames fall across chunks. Lines end in `\n`, as the
 * host stream writes them; a client reading other servers normalises `\r\n` first.
 */
export function sseFrameSplitter(onFrame: (frame: string) => void): (chunk: string) => void {
  let buffer = '';
  return (chunk) => {
    buffer += chunk;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      onFrame(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
    }
  };
}
