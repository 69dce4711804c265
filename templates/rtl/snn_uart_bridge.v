// snn_uart_bridge: the frames of the board protocol (docs/hardware.md) on a byte stream, to an
// AXI4-Lite master and an AXI4-Stream master (inputs) and slave (outputs).
//
// A frame: 0x5A, type, length (2 bytes, little-endian), the payload, and a CRC-8 (polynomial
// 0x07, initial 0) over type, length and payload. A frame is kept whole in a buffer of 2^BUF_W
// bytes and acted on only when its CRC is right.
//   0x01 WRITE  address (4 bytes) and words (4 bytes each, little-endian): written to
//               consecutive word addresses; answered by 0x81 with the count written (2 bytes).
//   0x02 READ   address (4 bytes) and a count (2 bytes): answered by 0x82 with the words.
//   0x03 INPUT  flags (bit 0: the run's last input), the label (LABEL_BYTES bytes) and the
//               input's BEATS beats of IN_BYTES bytes; not answered.
// Each output of the stream goes out as 0x83 with its OUT_BYTES bytes. A frame that cannot be
// taken is answered by 0xE0 with a code: 1 a CRC that does not match, 2 an unknown type, 3 a
// character with a low stop bit (`rx_error`), 4 a length the type cannot have, 5 a byte lost
// because the receive queue was full (`rx_lost`). Frames out never interleave.
`default_nettype none
module snn_uart_bridge #(
    parameter ADDR_W = 12,
    parameter IN_BYTES = 4,
    parameter BEATS = 4,
    parameter LABEL_BYTES = 1,
    parameter LABEL_W = 2,
    parameter OUT_BYTES = 5,
    parameter BUF_W = 10,
    parameter BUF_STYLE = "block"     // the frame buffer's storage: "block" or "distributed"
) (
    input  wire                  clk,
    input  wire                  rst,
    // bytes in (a queue: `rx_ready` takes one) and the receiver's faults
    input  wire                  rx_valid,
    input  wire [7:0]            rx_data,
    output wire                  rx_ready,
    input  wire                  rx_error,
    input  wire                  rx_lost,
    // bytes out
    output reg                   tx_valid,
    output reg  [7:0]            tx_data,
    input  wire                  tx_ready,
    // AXI4-Lite master
    output reg  [ADDR_W-1:0]     m_axi_awaddr,
    output reg                   m_axi_awvalid,
    input  wire                  m_axi_awready,
    output reg  [31:0]           m_axi_wdata,
    output reg                   m_axi_wvalid,
    input  wire                  m_axi_wready,
    input  wire                  m_axi_bvalid,
    output reg                   m_axi_bready,
    output reg  [ADDR_W-1:0]     m_axi_araddr,
    output reg                   m_axi_arvalid,
    input  wire                  m_axi_arready,
    input  wire [31:0]           m_axi_rdata,
    input  wire                  m_axi_rvalid,
    output reg                   m_axi_rready,
    // inputs out, outputs in
    output reg  [IN_BYTES*8-1:0] m_axis_tdata,
    output reg  [LABEL_W-1:0]    m_axis_tuser,
    output reg                   m_axis_tlast,
    output reg                   m_axis_tvalid,
    input  wire                  m_axis_tready,
    input  wire [OUT_BYTES*8-1:0] s_axis_tdata,
    input  wire                  s_axis_tvalid,
    output wire                  s_axis_tready,
    // a frame was refused since reset
    output reg                   fault
);
    localparam [7:0] SYNC = 8'h5A;
    localparam [7:0] T_WRITE = 8'h01, T_READ = 8'h02, T_INPUT = 8'h03;
    localparam [7:0] T_ACK = 8'h81, T_WORDS = 8'h82, T_OUTPUT = 8'h83, T_ERROR = 8'hE0;
    localparam [7:0] E_CRC = 8'd1, E_TYPE = 8'd2, E_FRAMING = 8'd3, E_LENGTH = 8'd4, E_LOST = 8'd5;
    localparam [15:0] INPUT_LEN = 1 + LABEL_BYTES + BEATS * IN_BYTES;
    localparam [15:0] BUF_BYTES = 1 << BUF_W;

    function [7:0] crc8(input [7:0] crc, input [7:0] data);
        integer b;
        reg [7:0] c;
        begin
            c = crc ^ data;
            for (b = 0; b < 8; b = b + 1) c = c[7] ? {c[6:0], 1'b0} ^ 8'h07 : {c[6:0], 1'b0};
            crc8 = c;
        end
    endfunction

    // ------------------------------------------------------------------ frames in
    localparam [3:0] R_HUNT = 4'd0, R_TYPE = 4'd1, R_LEN0 = 4'd2, R_LEN1 = 4'd3, R_BODY = 4'd4,
                     R_CRC = 4'd5, R_SKIP = 4'd6, R_WRITE = 4'd7, R_READ = 4'd8, R_INPUT = 4'd9,
                     R_REPLY = 4'd10;
    reg [3:0] state;
    reg [7:0] kind;
    reg [15:0] length, got;
    reg [7:0] crc;
    (* ram_style = BUF_STYLE *) reg [7:0] buffer [0:(1<<BUF_W)-1];
    reg [BUF_W-1:0] rd;               // the next byte to read from the buffer
    reg [7:0] rd_byte;                // buffer[rd], read a clock after `rd` moved
    integer i;
    initial for (i = 0; i < (1 << BUF_W); i = i + 1) buffer[i] = 8'd0;

    // The body's bytes, one every other clock: a state that consumes `rd_byte` sets `take`
    // and moves `rd`, and waits while `take` is high for the next byte to be read.
    reg take;
    always @(posedge clk) rd_byte <= buffer[rd];

    // A reply to send when the frame is done: its type and up to two bytes of payload.
    reg [7:0] reply_kind;
    reg [15:0] reply_value;
    reg reply_wide;                   // two payload bytes (ACK), else one (ERROR)

    // Words to read or write, and where.
    reg [31:0] word;
    reg [1:0] byte_in_word;
    reg [ADDR_W-1:0] address;
    reg [15:0] count, done_words;
    reg [2:0] phase;                  // the step inside R_WRITE, R_READ and R_INPUT

    // Bytes out of the request side (replies and READ words) go through `req_*` to the
    // arbiter below.
    reg req_valid;
    reg [7:0] req_byte;
    reg req_last;                     // the frame's CRC byte
    wire req_taken;


    reg [15:0] beat;                  // beats of the input sent
    reg [7:0] label_acc;              // the label's first byte (of two)
    localparam [BUF_W-1:0] BYTE3 = 3, BYTE4 = 4, BYTE5 = 5;
    localparam [ADDR_W-1:0] WORD = 4;
    // The word, label and beat with the byte at `rd` shifted in on top (little-endian).
    // (A label uses the low LABEL_W bits of its bytes; a beat drops its oldest byte.)
    wire [31:0] word_next = {rd_byte, word[31:8]};
    wire [15:0] label_both = {rd_byte, label_acc};
    /* verilator lint_off UNUSEDSIGNAL */
    wire [15:0] label_next = LABEL_BYTES == 2 ? label_both : {8'd0, rd_byte};
    wire [IN_BYTES*8+7:0] beat_next = {rd_byte, m_axis_tdata};
    /* verilator lint_on UNUSEDSIGNAL */
    reg length_ok;                    // the frame's length suits its type and the buffer
    always @(*) begin
        case (kind)
            T_WRITE: length_ok = length >= 16'd8 && length[1:0] == 2'b00 && length <= BUF_BYTES;
            T_READ: length_ok = length == 16'd6;
            T_INPUT: length_ok = length == INPUT_LEN && length <= BUF_BYTES;
            default: length_ok = length <= BUF_BYTES;
        endcase
    end

    // The receiver's faults wait here until a frame boundary can answer them.
    reg framing_seen, lost_seen;
    wire fault_pending = framing_seen || lost_seen;
    wire receiving = state <= R_SKIP;
    assign rx_ready = !fault_pending && (
        state == R_HUNT || state == R_TYPE || state == R_LEN0 || state == R_LEN1 ||
        state == R_CRC || (state == R_BODY && length_ok && got != length) ||
        (state == R_SKIP && got != length + 16'd1));

    initial begin
        state = R_HUNT;
        kind = 8'd0;
        length = 16'd0;
        got = 16'd0;
        crc = 8'd0;
        rd = {BUF_W{1'b0}};
        rd_byte = 8'd0;
        take = 1'b0;
        reply_kind = 8'd0;
        reply_value = 16'd0;
        reply_wide = 1'b0;
        word = 32'd0;
        byte_in_word = 2'd0;
        address = {ADDR_W{1'b0}};
        count = 16'd0;
        done_words = 16'd0;
        phase = 3'd0;
        req_valid = 1'b0;
        req_byte = 8'd0;
        req_last = 1'b0;
        beat = 16'd0;
        label_acc = 8'd0;
        framing_seen = 1'b0;
        lost_seen = 1'b0;
        fault = 1'b0;
        m_axi_awaddr = {ADDR_W{1'b0}};
        m_axi_awvalid = 1'b0;
        m_axi_wdata = 32'd0;
        m_axi_wvalid = 1'b0;
        m_axi_bready = 1'b0;
        m_axi_araddr = {ADDR_W{1'b0}};
        m_axi_arvalid = 1'b0;
        m_axi_rready = 1'b0;
        m_axis_tdata = {(IN_BYTES*8){1'b0}};
        m_axis_tuser = {LABEL_W{1'b0}};
        m_axis_tlast = 1'b0;
        m_axis_tvalid = 1'b0;
    end

    // An error reply, from any receiving state.
    task refuse(input [7:0] code);
        begin
            reply_kind <= T_ERROR;
            reply_value <= {8'd0, code};
            reply_wide <= 1'b0;
            phase <= 3'd0;
            fault <= 1'b1;
            state <= R_REPLY;
        end
    endtask

    always @(posedge clk) begin
        take <= 1'b0;
        if (rx_error) framing_seen <= 1'b1;
        if (rx_lost) lost_seen <= 1'b1;
        if (rst) begin
            state <= R_HUNT;
            framing_seen <= 1'b0;
            lost_seen <= 1'b0;
            fault <= 1'b0;
            req_valid <= 1'b0;
            m_axi_awvalid <= 1'b0;
            m_axi_wvalid <= 1'b0;
            m_axi_bready <= 1'b0;
            m_axi_arvalid <= 1'b0;
            m_axi_rready <= 1'b0;
            m_axis_tvalid <= 1'b0;
        end else if (receiving && fault_pending) begin
            refuse(framing_seen ? E_FRAMING : E_LOST);
            framing_seen <= 1'b0;
            lost_seen <= 1'b0;
        end else begin
            case (state)
                R_HUNT: if (rx_valid && rx_ready && rx_data == SYNC) begin
                    state <= R_TYPE;
                    crc <= 8'd0;
                end
                R_TYPE: if (rx_valid && rx_ready) begin
                    kind <= rx_data;
                    crc <= crc8(crc, rx_data);
                    state <= R_LEN0;
                end
                R_LEN0: if (rx_valid && rx_ready) begin
                    length[7:0] <= rx_data;
                    crc <= crc8(crc, rx_data);
                    state <= R_LEN1;
                end
                R_LEN1: if (rx_valid && rx_ready) begin
                    length[15:8] <= rx_data;
                    crc <= crc8(crc, rx_data);
                    got <= 16'd0;
                    state <= R_BODY;
                end
                R_BODY: begin
                    if (!length_ok) begin
                        state <= R_SKIP;      // too long to keep, or not a length of its type
                    end else if (got == length) begin
                        state <= R_CRC;
                    end else if (rx_valid && rx_ready) begin
                        buffer[got[BUF_W-1:0]] <= rx_data;
                        crc <= crc8(crc, rx_data);
                        got <= got + 1'b1;
                    end
                end
                R_SKIP: begin
                    if (got == length + 16'd1) refuse(E_LENGTH);
                    else if (rx_valid && rx_ready) got <= got + 1'b1;
                end
                R_CRC: if (rx_valid && rx_ready) begin
                    rd <= {BUF_W{1'b0}};
                    take <= 1'b1;             // rd_byte is buffer[0] from the clock after next
                    phase <= 3'd0;
                    done_words <= 16'd0;
                    byte_in_word <= 2'd0;
                    if (rx_data != crc) refuse(E_CRC);
                    else if (kind == T_WRITE) state <= R_WRITE;
                    else if (kind == T_READ) state <= R_READ;
                    else if (kind == T_INPUT) state <= R_INPUT;
                    else refuse(E_TYPE);
                end
                R_WRITE: begin
                    // phase 0: the address's bytes; 1: a word's bytes; 2: the write; 3: its response
                    case (phase)
                        3'd0, 3'd1: if (!take) begin
                            word <= word_next;
                            take <= 1'b1;
                            rd <= rd + 1'b1;
                            byte_in_word <= byte_in_word + 1'b1;
                            if (byte_in_word == 2'd3) begin
                                if (phase == 3'd0) begin
                                    address <= word_next[ADDR_W-1:0];
                                    phase <= 3'd1;
                                end else begin
                                    phase <= 3'd2;
                                end
                            end
                        end
                        3'd2: begin
                            m_axi_awaddr <= address;
                            m_axi_wdata <= word;
                            m_axi_awvalid <= 1'b1;
                            m_axi_wvalid <= 1'b1;
                            m_axi_bready <= 1'b1;
                            phase <= 3'd3;
                        end
                        default: begin
                            if (m_axi_awvalid && m_axi_awready) m_axi_awvalid <= 1'b0;
                            if (m_axi_wvalid && m_axi_wready) m_axi_wvalid <= 1'b0;
                            if (m_axi_bvalid && m_axi_bready) begin
                                m_axi_bready <= 1'b0;
                                address <= address + WORD;
                                done_words <= done_words + 1'b1;
                                if (done_words + 1'b1 == (length >> 2) - 16'd1) begin
                                    reply_kind <= T_ACK;
                                    reply_value <= done_words + 1'b1;
                                    reply_wide <= 1'b1;
                                    phase <= 3'd0;
                                    state <= R_REPLY;
                                end else begin
                                    phase <= 3'd1;
                                end
                            end
                        end
                    endcase
                end
                R_READ: begin
                    // phase 0: the address and count; 1: the reply's header; 2: a read;
                    // 3: its word, byte by byte; 4: the CRC
                    case (phase)
                        3'd0: if (!take) begin
                            take <= 1'b1;
                            rd <= rd + 1'b1;
                            word <= word_next;
                            if (rd == BYTE3) address <= word_next[ADDR_W-1:0];
                            if (rd == BYTE4) count[7:0] <= rd_byte;
                            if (rd == BYTE5) begin
                                count[15:8] <= rd_byte;
                                phase <= 3'd1;
                                got <= 16'd0;
                            end
                        end
                        3'd1: if (!req_valid || req_taken) begin
                            // SYNC, type, length (4 × count)
                            req_valid <= 1'b1;
                            req_last <= 1'b0;
                            got <= got + 1'b1;
                            case (got)
                                16'd0: req_byte <= SYNC;
                                16'd1: begin
                                    req_byte <= T_WORDS;
                                    crc <= crc8(8'd0, T_WORDS);
                                end
                                16'd2: begin
                                    req_byte <= {count[5:0], 2'b00};
                                    crc <= crc8(crc, {count[5:0], 2'b00});
                                end
                                default: begin
                                    req_byte <= count[13:6];
                                    crc <= crc8(crc, count[13:6]);
                                    phase <= count == 16'd0 ? 3'd4 : 3'd2;
                                end
                            endcase
                        end
                        3'd2: if (!req_valid || req_taken) begin
                            req_valid <= 1'b0;
                            if (!m_axi_arvalid && !m_axi_rready) begin
                                m_axi_araddr <= address;
                                m_axi_arvalid <= 1'b1;
                                m_axi_rready <= 1'b1;
                            end else begin
                                if (m_axi_arvalid && m_axi_arready) m_axi_arvalid <= 1'b0;
                                if (m_axi_rvalid && m_axi_rready) begin
                                    m_axi_rready <= 1'b0;
                                    word <= m_axi_rdata;
                                    byte_in_word <= 2'd0;
                                    address <= address + WORD;
                                    phase <= 3'd3;
                                end
                            end
                        end
                        3'd3: if (!req_valid || req_taken) begin
                            req_valid <= 1'b1;
                            req_byte <= word[7:0];
                            crc <= crc8(crc, word[7:0]);
                            word <= word >> 8;
                            byte_in_word <= byte_in_word + 1'b1;
                            if (byte_in_word == 2'd3) begin
                                done_words <= done_words + 1'b1;
                                phase <= done_words + 1'b1 == count ? 3'd4 : 3'd2;
                            end
                        end
                        default: if (!req_valid || req_taken) begin
                            if (req_last) begin
                                req_valid <= 1'b0;
                                req_last <= 1'b0;
                                state <= R_HUNT;
                            end else begin
                                req_valid <= 1'b1;
                                req_byte <= crc;
                                req_last <= 1'b1;
                            end
                        end
                    endcase
                end
                R_INPUT: begin
                    // phase 0: flags; 1: the label; 2: a beat's bytes; 3: the beat out
                    case (phase)
                        3'd0: if (!take) begin
                            take <= 1'b1;
                            rd <= rd + 1'b1;
                            m_axis_tlast <= 1'b0;
                            word[0] <= rd_byte[0];
                            got <= 16'd0;
                            beat <= 16'd0;
                            phase <= LABEL_BYTES == 0 ? 3'd2 : 3'd1;
                        end
                        3'd1: if (!take) begin
                            take <= 1'b1;
                            rd <= rd + 1'b1;
                            label_acc <= rd_byte;
                            got <= got + 1'b1;
                            if (got + 1'b1 == LABEL_BYTES) begin
                                m_axis_tuser <= label_next[LABEL_W-1:0];
                                got <= 16'd0;
                                phase <= 3'd2;
                            end
                        end
                        3'd2: if (!take) begin
                            take <= 1'b1;
                            rd <= rd + 1'b1;
                            m_axis_tdata <= beat_next[IN_BYTES*8+7:8];
                            got <= got + 1'b1;
                            if (got + 1'b1 == IN_BYTES) begin
                                got <= 16'd0;
                                m_axis_tvalid <= 1'b1;
                                m_axis_tlast <= word[0] && beat == BEATS - 1;
                                phase <= 3'd3;
                            end
                        end
                        default: if (m_axis_tready) begin
                            m_axis_tvalid <= 1'b0;
                            beat <= beat + 1'b1;
                            if (beat + 1'b1 == BEATS) state <= R_HUNT;
                            else phase <= 3'd2;
                        end
                    endcase
                end
                default: begin
                    // R_REPLY: SYNC, type, length, one or two bytes, CRC
                    if (!req_valid || req_taken) begin
                        req_valid <= 1'b1;
                        req_last <= 1'b0;
                        phase <= phase + 1'b1;
                        case (phase)
                            3'd0: req_byte <= SYNC;
                            3'd1: begin
                                req_byte <= reply_kind;
                                crc <= crc8(8'd0, reply_kind);
                            end
                            3'd2: begin
                                req_byte <= reply_wide ? 8'd2 : 8'd1;
                                crc <= crc8(crc, reply_wide ? 8'd2 : 8'd1);
                            end
                            3'd3: begin
                                req_byte <= 8'd0;
                                crc <= crc8(crc, 8'd0);
                            end
                            3'd4: begin
                                req_byte <= reply_value[7:0];
                                crc <= crc8(crc, reply_value[7:0]);
                                if (!reply_wide) phase <= 3'd6;
                            end
                            3'd5: begin
                                req_byte <= reply_value[15:8];
                                crc <= crc8(crc, reply_value[15:8]);
                            end
                            3'd6: begin
                                req_byte <= crc;
                                req_last <= 1'b1;
                            end
                            default: begin
                                req_valid <= 1'b0;
                                req_last <= 1'b0;
                                state <= R_HUNT;
                            end
                        endcase
                    end
                end
            endcase
        end
    end

    // ------------------------------------------------------------------ outputs as frames
    reg [OUT_BYTES*8-1:0] out_word;
    reg [15:0] out_index;             // 0: SYNC ... 4 + OUT_BYTES: CRC
    reg out_busy;
    reg out_valid;
    reg [7:0] out_byte, out_crc;
    wire out_taken;
    assign s_axis_tready = !out_busy;
    initial begin
        out_word = {(OUT_BYTES*8){1'b0}};
        out_index = 16'd0;
        out_busy = 1'b0;
        out_valid = 1'b0;
        out_byte = 8'd0;
        out_crc = 8'd0;
    end
    always @(posedge clk) begin
        if (rst) begin
            out_busy <= 1'b0;
            out_valid <= 1'b0;
        end else if (!out_busy) begin
            if (s_axis_tvalid) begin
                out_word <= s_axis_tdata;
                out_busy <= 1'b1;
                out_index <= 16'd0;
            end
        end else if (!out_valid || out_taken) begin
            out_index <= out_index + 1'b1;
            out_valid <= 1'b1;
            if (out_index == 16'd0) begin
                out_byte <= SYNC;
            end else if (out_index == 16'd1) begin
                out_byte <= T_OUTPUT;
                out_crc <= crc8(8'd0, T_OUTPUT);
            end else if (out_index == 16'd2) begin
                out_byte <= OUT_BYTES[7:0];
                out_crc <= crc8(out_crc, OUT_BYTES[7:0]);
            end else if (out_index == 16'd3) begin
                out_byte <= OUT_BYTES[15:8];
                out_crc <= crc8(out_crc, OUT_BYTES[15:8]);
            end else if (out_index < 16'd4 + OUT_BYTES) begin
                out_byte <= out_word[7:0];
                out_crc <= crc8(out_crc, out_word[7:0]);
                out_word <= out_word >> 8;
            end else if (out_index == 16'd4 + OUT_BYTES) begin
                out_byte <= out_crc;
            end else begin
                out_valid <= 1'b0;
                out_busy <= 1'b0;
            end
        end
    end

    // ------------------------------------------------------------------ one frame out at a time
    reg owner_out, owner_req, owned;  // the frame on the line is an output's, a request's
    initial begin
        owner_out = 1'b0;
        owner_req = 1'b0;
        owned = 1'b0;
        tx_valid = 1'b0;
        tx_data = 8'd0;
    end
    wire grant_out = owned ? owner_out : out_valid;
    wire grant_req = owned ? owner_req : !out_valid && req_valid;
    wire tx_free = !tx_valid || tx_ready;
    assign out_taken = grant_out && out_valid && tx_free;
    assign req_taken = grant_req && req_valid && tx_free;
    always @(posedge clk) begin
        if (rst) begin
            owned <= 1'b0;
            tx_valid <= 1'b0;
        end else begin
            if (tx_free) tx_valid <= 1'b0;
            if (out_taken) begin
                tx_valid <= 1'b1;
                tx_data <= out_byte;
                owned <= out_index != 16'd5 + OUT_BYTES;
                owner_out <= 1'b1;
                owner_req <= 1'b0;
            end else if (req_taken) begin
                tx_valid <= 1'b1;
                tx_data <= req_byte;
                owned <= !req_last;
                owner_out <= 1'b0;
                owner_req <= 1'b1;
            end
        end
    end
endmodule
`default_nettype wire
