import { LitElement, html, css } from 'lit';
import { JsonRpc } from 'jsonrpc';
import { notifier } from 'notifier';
import '@vaadin/combo-box';
import '@vaadin/text-area';
import '@vaadin/text-field';
import '@vaadin/button';

/** A form that inserts a test job of one of the application's kinds, with JSON args. */
export class QwcShigotoInsert extends LitElement {
    jsonRpc = new JsonRpc(this);

    static styles = css`
        :host { display: flex; flex-direction: column; gap: 10px; max-width: 50em; padding: 10px; }
        .error { color: var(--lumo-error-text-color); white-space: pre-wrap; }
        .ok { color: var(--lumo-success-text-color); }
    `;

    static properties = {
        _kinds: { state: true },
        _kind: { state: true },
        _args: { state: true },
        _queue: { state: true },
        _answer: { state: true },
    };

    constructor() {
        super();
        this._kinds = [];
        this._args = '{}';
        this._queue = '';
    }

    connectedCallback() {
        super.connectedCallback();
        this.jsonRpc.kinds().then(r => { this._kinds = r.result; });
    }

    render() {
        return html`
            <vaadin-combo-box label="Kind" .items="${this._kinds}" .value="${this._kind ?? ''}"
                @value-changed=${e => { this._kind = e.detail.value; }}></vaadin-combo-box>
            <vaadin-text-area label="Args (a JSON object)" .value="${this._args}"
                @value-changed=${e => { this._args = e.detail.value; }}></vaadin-text-area>
            <vaadin-text-field label="Queue (blank: the worker's)" .value="${this._queue}"
                @value-changed=${e => { this._queue = e.detail.value; }}></vaadin-text-field>
            <div><vaadin-button theme="primary" class="insert" @click=${() => this._insert()}>Insert</vaadin-button></div>
            ${this._answer ? html`<div class="${this._answer.ok ? 'ok' : 'error'}">${this._answer.ok ? this._answer.message : this._answer.error}</div>` : ''}`;
    }

    _insert() {
        this.jsonRpc.insertJob({ kind: this._kind ?? '', args: this._args, queue: this._queue }).then(r => {
            this._answer = r.result;
            if (r.result.ok) {
                notifier.showInfoMessage(r.result.message);
            }
        });
    }
}
customElements.define('qwc-shigoto-insert', QwcShigotoInsert);
