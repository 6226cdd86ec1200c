// qdeck collaborative editor: Yjs + y-websocket + CodeMirror 6 (y-codemirror.next).
// Bundled by build.sh into qdeck-collab-<version>.js (IIFE, global `QdeckCollab`).
//
//   const ed = QdeckCollab.mount(element, {
//     serverUrl, room, readOnly, user: {name, color}, onPeers, onStatus, onText,
//   })
//   ed.text(); ed.insert(pos, str); ed.destroy()

import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next'
import { EditorState } from '@codemirror/state'
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  drawSelection,
  dropCursor,
  rectangularSelection,
  crosshairCursor
} from '@codemirror/view'
import { defaultKeymap } from '@codemirror/commands'
import {
  syntaxHighlighting,
  defaultHighlightStyle,
  indentOnInput,
  bracketMatching
} from '@codemirror/language'
import { markdown } from '@codemirror/lang-markdown'
import { version as pkgVersion } from './package.json'

export const version = pkgVersion

const TEXT_DEBOUNCE_MS = 200

// Colours inherit from the page so the editor works on light and dark themes.
const inheritTheme = EditorView.theme({
  '&': { backgroundColor: 'transparent', color: 'inherit' },
  '.cm-content': {
    caretColor: 'currentColor',
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, monospace',
    fontSize: '14px'
  },
  '.cm-gutters': { backgroundColor: 'transparent', border: 'none' },
  '&.cm-focused': { outline: 'none' }
})

// Translucent variant of the user's colour, used by y-codemirror for the
// remote selection background. Accepts #rgb / #rrggbb; anything else is
// passed through unchanged.
function lighten (color) {
  if (typeof color !== 'string') return color
  let m = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color)
  if (m) return '#' + m[1] + m[1] + m[2] + m[2] + m[3] + m[3] + '33'
  m = /^#[0-9a-f]{6}$/i.exec(color)
  if (m) return color + '33'
  return color
}

// Allow a path ('/ws/collab') or http(s) URL; WebSocket needs ws(s)://.
function resolveWsUrl (serverUrl) {
  if (typeof location === 'undefined') return serverUrl
  const url = new URL(serverUrl, location.href)
  if (url.protocol === 'http:') url.protocol = 'ws:'
  else if (url.protocol === 'https:') url.protocol = 'wss:'
  return url.toString()
}

/**
 * Mount a collaborative CodeMirror editor in `element`.
 *
 * @param {HTMLElement} element
 * @param {object} opts
 * @param {string} opts.serverUrl  y-websocket server base URL (the room is appended as '/<room>')
 * @param {string} opts.room       room / document name
 * @param {boolean} [opts.readOnly=false]
 * @param {{name: string, color: string}} [opts.user]
 * @param {(peers: Array<{name: string, color: string}>) => void} [opts.onPeers]
 * @param {(status: 'connecting'|'connected'|'disconnected') => void} [opts.onStatus]
 * @param {(text: string) => void} [opts.onText]  debounced 200 ms
 * @param {Object<string,string>} [opts.params]   extra URL query parameters for the websocket
 * @param {boolean} [opts.lineNumbers=true]
 */
export function mount (element, opts = {}) {
  const {
    serverUrl,
    room,
    readOnly = false,
    user = {},
    onPeers,
    onStatus,
    onText,
    params = {},
    lineNumbers: showLineNumbers = true
  } = opts
  if (!element) throw new Error('QdeckCollab.mount: element is required')
  if (!serverUrl || !room) throw new Error('QdeckCollab.mount: serverUrl and room are required')

  const doc = new Y.Doc()
  const ytext = doc.getText('content')
  // disableBc: the server is the single authority (it enforces roles), so
  // tabs must not exchange updates directly over BroadcastChannel.
  const provider = new WebsocketProvider(resolveWsUrl(serverUrl), room, doc, {
    connect: true,
    disableBc: true,
    params
  })
  const awareness = provider.awareness
  const name = user.name || 'Anonymous'
  const color = user.color || '#3b82f6'
  awareness.setLocalStateField('user', { name, color, colorLight: lighten(color) })

  // --- status -------------------------------------------------------------
  // The provider emits its first 'connecting' inside its constructor, before
  // we can listen, so report it ourselves.
  let lastStatus = null
  const emitStatus = (status) => {
    if (status === lastStatus) return
    lastStatus = status
    if (onStatus) onStatus(status)
  }
  const statusHandler = ({ status }) => emitStatus(status)
  // 'closed': the server refused us for good (close code 4400-4499), no retry.
  const closedHandler = () => emitStatus('disconnected')
  provider.on('status', statusHandler)
  provider.on('closed', closedHandler)
  emitStatus(provider.wsconnected ? 'connected' : 'connecting')

  // --- peers --------------------------------------------------------------
  const peersHandler = () => {
    if (!onPeers) return
    const seen = new Set()
    const peers = []
    awareness.getStates().forEach((state, clientID) => {
      if (clientID === doc.clientID || seen.has(clientID)) return
      if (!state || !state.user) return
      seen.add(clientID)
      peers.push({ name: state.user.name, color: state.user.color })
    })
    onPeers(peers)
  }
  awareness.on('change', peersHandler)
  peersHandler()

  // --- text ---------------------------------------------------------------
  let textTimer = null
  const scheduleText = () => {
    if (!onText) return
    if (textTimer !== null) clearTimeout(textTimer)
    textTimer = setTimeout(() => {
      textTimer = null
      onText(ytext.toString())
    }, TEXT_DEBOUNCE_MS)
  }
  ytext.observe(scheduleText)
  scheduleText()

  // --- editor -------------------------------------------------------------
  const undoManager = new Y.UndoManager(ytext)
  const extensions = [
    highlightSpecialChars(),
    drawSelection(),
    dropCursor(),
    EditorState.allowMultipleSelections.of(true),
    indentOnInput(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    bracketMatching(),
    rectangularSelection(),
    crosshairCursor(),
    highlightActiveLine(),
    keymap.of([...yUndoManagerKeymap, ...defaultKeymap]),
    markdown(),
    EditorView.lineWrapping,
    inheritTheme,
    yCollab(ytext, awareness, { undoManager })
  ]
  if (showLineNumbers) extensions.unshift(lineNumbers(), highlightActiveLineGutter())
  if (readOnly) extensions.push(EditorState.readOnly.of(true), EditorView.editable.of(false))

  const view = new EditorView({
    state: EditorState.create({ doc: ytext.toString(), extensions }),
    parent: element
  })

  let destroyed = false
  return {
    view,
    doc,
    provider,
    text: () => ytext.toString(),
    insert (pos, str) {
      const at = Math.max(0, Math.min(Number(pos) || 0, ytext.length))
      ytext.insert(at, String(str))
    },
    destroy () {
      if (destroyed) return
      destroyed = true
      if (textTimer !== null) clearTimeout(textTimer)
      ytext.unobserve(scheduleText)
      awareness.off('change', peersHandler)
      provider.off('status', statusHandler)
      provider.off('closed', closedHandler)
      view.destroy()
      undoManager.destroy()
      provider.destroy() // announces our departure (null awareness) and closes the socket
      doc.destroy() // also destroys the awareness instance
    }
  }
}
