// The Smallest.ai seed's Node.js client (seed 002, "Node.js Example"), as published, with three changes for a CPU
// comparison: the endpoint and file come from the command line, chunks go out as fast as the socket takes them
// (setImmediate instead of the seed's 50 ms timer, as `speechstream --speed max` does), and only finals are printed
// (the seed pretty-prints every message, which would measure console output, not streaming).
const WebSocket = require("ws");
const fs = require("fs");

const [endpoint, audioFile] = process.argv.slice(2);
const url = new URL(endpoint);
url.searchParams.append("language", "en");
url.searchParams.append("encoding", "linear16");
url.searchParams.append("sample_rate", "16000");
url.searchParams.append("word_timestamps", "true");

const ws = new WebSocket(url.toString(), { headers: { Authorization: `Bearer ${process.env.SMALLEST_API_KEY}` } });

ws.on("open", () => {
  const audioBuffer = fs.readFileSync(audioFile).subarray(44);
  const chunkSize = 4096;
  let offset = 0;
  const sendChunk = () => {
    if (offset >= audioBuffer.length) {
      ws.send(JSON.stringify({ type: "end" }));
      return;
    }
    ws.send(audioBuffer.subarray(offset, offset + chunkSize));
    offset += chunkSize;
    setImmediate(sendChunk);
  };
  sendChunk();
});

let finals = 0;
ws.on("message", (data) => {
  const message = JSON.parse(data.toString());
  if (message.is_final) finals++;
  if (message.is_last) ws.close();
});
ws.on("error", (error) => { console.error("WebSocket error:", error.message); process.exitCode = 1; });
ws.on("close", () => console.error(`finals: ${finals}`));
