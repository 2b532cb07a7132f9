/**
 * Feeds an SSE stream's text as it arrives and calls `onFrame` with each complete frame (the
 * lines before a blank line), however the frames fall across chunks. For load clients that
 * only look into frames; the host stream writes `\n` line endings.
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
