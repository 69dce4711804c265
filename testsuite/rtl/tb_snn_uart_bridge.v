// Unit test of the board protocol: snn_uart_rx → snn_fifo → snn_uart_bridge → snn_fifo →
// snn_uart_tx, at 8 clocks per bit, against a register file behind snn_axil and a stream
// loopback that answers every input with one output. The host side sends frames bit by bit
// and decodes what comes back: writes and reads (answered, back to back), inputs with labels
// and the run's last flag (beats, tuser and tlast checked), outputs as frames, and every
// refusal: a corrupted CRC, an unknown type, a wrong length and a low stop bit.
`timescale 1ns / 1ps
module tb_snn_uart_bridge;
    localparam CPB = 8;               // clocks per bit
    localparam IN_BYTES = 2, BEATS = 3, LABEL_W = 3, OUT_BYTES = 3;
    reg clk = 1'b0;
    always #5 clk = ~clk;
    reg rst = 1'b1;
    reg host_tx = 1'b1;               // the host's transmit line, the board's receive line
    wire board_tx;

    // ------------------------------------------------------------------ the board side
    wire rx_valid, rx_error;
    wire [7:0] rx_byte;
    snn_uart_rx #(.CLOCKS_PER_BIT(CPB)) rx (.clk(clk), .rst(rst), .rx(host_tx), .valid(rx_valid),
        .data(rx_byte), .frame_error(rx_error));
    wire q_valid, q_ready, q_in_ready;
    wire [7:0] q_byte;
    snn_fifo #(.WIDTH(8), .ADDR(4)) rx_queue (.clk(clk), .rst(rst), .in_valid(rx_valid),
        .in_data(rx_byte), .in_ready(q_in_ready), .out_valid(q_valid), .out_data(q_byte),
        .out_ready(q_ready));
    wire tx_valid, tx_ready, t_valid, t_ready;
    wire [7:0] tx_byte, t_byte;
    wire [7:0] awaddr, araddr;
    wire awvalid, awready, wvalid, wready, bvalid, bready, arvalid, arready, rvalid, rready;
    wire [31:0] wdata, rdata;
    wire [1:0] bresp, rresp;
    wire [IN_BYTES*8-1:0] in_tdata;
    wire [LABEL_W-1:0] in_tuser;
    wire in_tlast, in_tvalid;
    reg in_tready = 1'b1;
    reg [OUT_BYTES*8-1:0] out_tdata = 0;
    reg out_tvalid = 1'b0;
    wire out_tready, fault;
    snn_uart_bridge #(.ADDR_W(8), .IN_BYTES(IN_BYTES), .BEATS(BEATS), .LABEL_BYTES(1),
        .LABEL_W(LABEL_W), .OUT_BYTES(OUT_BYTES), .BUF_W(6)) bridge (
        .clk(clk), .rst(rst),
        .rx_valid(q_valid), .rx_data(q_byte), .rx_ready(q_ready), .rx_error(rx_error),
        .rx_lost(rx_valid && !q_in_ready),
        .tx_valid(tx_valid), .tx_data(tx_byte), .tx_ready(tx_ready),
        .m_axi_awaddr(awaddr), .m_axi_awvalid(awvalid), .m_axi_awready(awready),
        .m_axi_wdata(wdata), .m_axi_wvalid(wvalid), .m_axi_wready(wready),
        .m_axi_bvalid(bvalid), .m_axi_bready(bready),
        .m_axi_araddr(araddr), .m_axi_arvalid(arvalid), .m_axi_arready(arready),
        .m_axi_rdata(rdata), .m_axi_rvalid(rvalid), .m_axi_rready(rready),
        .m_axis_tdata(in_tdata), .m_axis_tuser(in_tuser), .m_axis_tlast(in_tlast),
        .m_axis_tvalid(in_tvalid), .m_axis_tready(in_tready),
        .s_axis_tdata(out_tdata), .s_axis_tvalid(out_tvalid), .s_axis_tready(out_tready),
        .fault(fault));
    snn_fifo #(.WIDTH(8), .ADDR(6)) tx_queue (.clk(clk), .rst(rst), .in_valid(tx_valid),
        .in_data(tx_byte), .in_ready(tx_ready), .out_valid(t_valid), .out_data(t_byte),
        .out_ready(t_ready));
    snn_uart_tx #(.CLOCKS_PER_BIT(CPB)) tx (.clk(clk), .rst(rst), .valid(t_valid), .data(t_byte),
        .ready(t_ready), .tx(board_tx));

    // A register file of 16 words behind the AXI4-Lite slave (read latency 2).
    wire reg_we, reg_re;
    wire [7:0] reg_waddr, reg_raddr;
    wire [31:0] reg_wdata;
    wire [3:0] reg_wstrb;
    reg [31:0] regs [0:15];
    reg [31:0] rd1, rd2;
    integer i;
    initial for (i = 0; i < 16; i = i + 1) regs[i] = 32'h0;
    snn_axil #(.ADDR_W(8), .READ_LATENCY(2)) axil (.clk(clk), .rst(rst),
        .s_axil_awaddr(awaddr), .s_axil_awvalid(awvalid), .s_axil_awready(awready),
        .s_axil_wdata(wdata), .s_axil_wstrb(4'hf), .s_axil_wvalid(wvalid), .s_axil_wready(wready),
        .s_axil_bresp(bresp), .s_axil_bvalid(bvalid), .s_axil_bready(bready),
        .s_axil_araddr(araddr), .s_axil_arvalid(arvalid), .s_axil_arready(arready),
        .s_axil_rdata(rdata), .s_axil_rresp(rresp), .s_axil_rvalid(rvalid), .s_axil_rready(rready),
        .wr_en(reg_we), .wr_addr(reg_waddr), .wr_data(reg_wdata), .wr_strb(reg_wstrb),
        .rd_en(reg_re), .rd_addr(reg_raddr), .rd_data(rd2));
    always @(posedge clk) begin
        if (reg_we) regs[reg_waddr[5:2]] <= reg_wdata;
        rd1 <= regs[reg_raddr[5:2]];
        rd2 <= rd1;
    end

    // The stream: every beat recorded; an input's last beat answered by the output
    // {label, first byte of the last beat, beats seen so far}, after a few clocks.
    reg [IN_BYTES*8-1:0] beats_seen [0:63];
    reg [LABEL_W-1:0] users_seen [0:63];
    reg lasts_seen [0:63];
    integer beat_count = 0;
    always @(posedge clk) begin
        if (in_tvalid && in_tready) begin
            beats_seen[beat_count] = in_tdata;
            users_seen[beat_count] = in_tuser;
            lasts_seen[beat_count] = in_tlast;
            beat_count = beat_count + 1;
            if (beat_count % BEATS == 0) begin
                out_tdata <= {5'd0, in_tuser, in_tdata[7:0], beat_count[7:0]};
                out_tvalid <= 1'b1;
            end
        end
        if (out_tvalid && out_tready) out_tvalid <= 1'b0;
    end

    // ------------------------------------------------------------------ the host side
    function [7:0] crc8(input [7:0] crc, input [7:0] data);
        integer b;
        reg [7:0] c;
        begin
            c = crc ^ data;
            for (b = 0; b < 8; b = b + 1) c = c[7] ? {c[6:0], 1'b0} ^ 8'h07 : {c[6:0], 1'b0};
            crc8 = c;
        end
    endfunction

    task send_byte(input [7:0] b, input stop);
        integer k;
        begin
            host_tx = 1'b0;
            repeat (CPB) @(posedge clk);
            for (k = 0; k < 8; k = k + 1) begin
                host_tx = b[k];
                repeat (CPB) @(posedge clk);
            end
            host_tx = stop;
            repeat (CPB) @(posedge clk);
            host_tx = 1'b1;
            if (!stop) repeat (CPB) @(posedge clk);
        end
    endtask

    reg [7:0] payload [0:255];
    // A frame of `kind` with `length` bytes of `payload`; `corrupt` flips the CRC's low bit.
    task send_frame(input [7:0] kind, input [15:0] length, input corrupt);
        integer k;
        reg [7:0] c;
        begin
            send_byte(8'h5A, 1'b1);
            c = crc8(8'd0, kind);
            send_byte(kind, 1'b1);
            c = crc8(c, length[7:0]);
            send_byte(length[7:0], 1'b1);
            c = crc8(c, length[15:8]);
            send_byte(length[15:8], 1'b1);
            for (k = 0; k < length; k = k + 1) begin
                c = crc8(c, payload[k]);
                send_byte(payload[k], 1'b1);
            end
            send_byte(c ^ {7'd0, corrupt}, 1'b1);
        end
    endtask

    // Bytes from the board, decoded from its line into a queue.
    reg [7:0] got [0:1023];
    integer got_head = 0, got_tail = 0;
    integer k2;
    reg [7:0] shift;
    always begin
        @(negedge board_tx);
        repeat (CPB / 2) @(posedge clk);
        for (k2 = 0; k2 < 8; k2 = k2 + 1) begin
            repeat (CPB) @(posedge clk);
            shift[k2] = board_tx;
        end
        repeat (CPB) @(posedge clk);
        got[got_head] = shift;
        got_head = got_head + 1;
    end

    integer errors = 0;
    task next_byte(output [7:0] b);
        integer waited;
        begin
            waited = 0;
            while (got_tail == got_head && waited < 20000) begin
                @(posedge clk);
                waited = waited + 1;
            end
            if (got_tail == got_head) begin
                errors = errors + 1;
                $display("FAIL no byte from the board");
                b = 8'h00;
            end else begin
                b = got[got_tail];
                got_tail = got_tail + 1;
            end
        end
    endtask

    reg [7:0] reply [0:255];
    // Reads a frame from the board; fails unless it is `kind` with `length` bytes and a
    // right CRC. Its payload is left in `reply`.
    task expect_frame(input [7:0] kind, input [15:0] length);
        integer k;
        reg [7:0] b, c;
        reg [15:0] len;
        begin
            next_byte(b);
            if (b !== 8'h5A) begin errors = errors + 1; $display("FAIL sync %h", b); end
            next_byte(b);
            c = crc8(8'd0, b);
            if (b !== kind) begin errors = errors + 1; $display("FAIL type %h, expected %h", b, kind); end
            next_byte(len[7:0]);
            c = crc8(c, len[7:0]);
            next_byte(len[15:8]);
            c = crc8(c, len[15:8]);
            if (len !== length) begin errors = errors + 1; $display("FAIL length %0d, expected %0d", len, length); end
            for (k = 0; k < len && k < 256; k = k + 1) begin
                next_byte(reply[k]);
                c = crc8(c, reply[k]);
            end
            next_byte(b);
            if (b !== c) begin errors = errors + 1; $display("FAIL CRC %h, expected %h", b, c); end
        end
    endtask

    task check(input ok, input [8*48-1:0] what);
        if (!ok) begin
            errors = errors + 1;
            $display("FAIL %0s", what);
        end
    endtask

    // WRITE `n` words from `first` on at byte address `address` (the words are first, first+1, ...).
    task write_words(input [31:0] address, input integer n, input [31:0] first, input corrupt);
        integer w;
        begin
            {payload[3], payload[2], payload[1], payload[0]} = address;
            for (w = 0; w < n; w = w + 1)
                {payload[4+4*w+3], payload[4+4*w+2], payload[4+4*w+1], payload[4+4*w]} = first + w;
            send_frame(8'h01, 4 + 4 * n, corrupt);
        end
    endtask

    task read_words(input [31:0] address, input [15:0] n);
        begin
            {payload[3], payload[2], payload[1], payload[0]} = address;
            {payload[5], payload[4]} = n;
            send_frame(8'h02, 6, 1'b0);
        end
    endtask

    // INPUT: label `label`, beat b's bytes 16·x + 4·b + byte.
    task send_input(input [7:0] label, input [7:0] x, input last);
        integer b, j;
        begin
            payload[0] = {7'd0, last};
            payload[1] = label;
            for (b = 0; b < BEATS; b = b + 1)
                for (j = 0; j < IN_BYTES; j = j + 1) payload[2 + IN_BYTES * b + j] = 16 * x + 4 * b + j;
            send_frame(8'h03, 2 + BEATS * IN_BYTES, 1'b0);
        end
    endtask

    integer n, b;
    reg [7:0] byte_value;
    initial begin
        check(crc8(crc8(crc8(crc8(crc8(crc8(crc8(crc8(crc8(8'd0, "1"), "2"), "3"), "4"), "5"), "6"),
            "7"), "8"), "9") == 8'hF4, "CRC-8 of 123456789 is F4");
        repeat (4) @(posedge clk);
        rst = 1'b0;
        repeat (4) @(posedge clk);

        // Writes and reads, back to back.
        write_words(32'h10, 3, 32'hA1B2_C3D0, 1'b0);
        read_words(32'h10, 4);
        expect_frame(8'h81, 2);
        check({reply[1], reply[0]} == 16'd3, "the write's count");
        expect_frame(8'h82, 16);
        for (n = 0; n < 3; n = n + 1)
            check({reply[4*n+3], reply[4*n+2], reply[4*n+1], reply[4*n]} == 32'hA1B2_C3D0 + n, "a word read back");
        check({reply[15], reply[14], reply[13], reply[12]} == 32'h0, "the word after them");
        check(regs[4] == 32'hA1B2_C3D0 && regs[6] == 32'hA1B2_C3D2, "the register file");

        // Inputs: three, the last marked; each answered by an output frame.
        send_input(8'd5, 8'd1, 1'b0);
        send_input(8'd2, 8'd2, 1'b0);
        send_input(8'd7, 8'd3, 1'b1);
        for (n = 0; n < 3; n = n + 1) begin
            expect_frame(8'h83, OUT_BYTES);
            check(reply[0] == 3 * (n + 1), "an output's beat count");
            check(reply[1] == 16 * (n + 1) + 4 * (BEATS - 1), "an output's data");
        end
        check(beat_count == 3 * BEATS, "every beat, once");
        for (n = 0; n < 3; n = n + 1)
            for (b = 0; b < BEATS; b = b + 1) begin
                check(beats_seen[BEATS*n+b] == {8'd16 * (n[7:0] + 8'd1) + 8'd4 * b[7:0] + 8'd1,
                                                8'd16 * (n[7:0] + 8'd1) + 8'd4 * b[7:0]}, "a beat's bytes");
                check(users_seen[BEATS*n+b] == (n == 0 ? 3'd5 : n == 1 ? 3'd2 : 3'd7), "a beat's label");
                check(lasts_seen[BEATS*n+b] == (n == 2 && b == BEATS - 1), "tlast on the run's last beat only");
            end

        // Refusals: a corrupted CRC (nothing written), an unknown type, a wrong length, a low
        // stop bit; then the bridge still works.
        write_words(32'h20, 1, 32'h1234_5678, 1'b1);
        expect_frame(8'hE0, 1);
        check(reply[0] == 8'd1 && regs[8] == 32'h0, "a bad CRC refused, nothing written");
        payload[0] = 8'h00;
        send_frame(8'h07, 1, 1'b0);
        expect_frame(8'hE0, 1);
        check(reply[0] == 8'd2, "an unknown type refused");
        payload[0] = 8'h00;
        send_frame(8'h02, 2, 1'b0);
        expect_frame(8'hE0, 1);
        check(reply[0] == 8'd4, "a READ of the wrong length refused");
        send_byte(8'h5A, 1'b0);
        expect_frame(8'hE0, 1);
        check(reply[0] == 8'd3, "a low stop bit refused");
        check(fault, "the fault output");
        write_words(32'h20, 2, 32'h0BAD_F00D, 1'b0);
        expect_frame(8'h81, 2);
        check(regs[8] == 32'h0BAD_F00D && regs[9] == 32'h0BAD_F00E, "writes after the refusals");
        repeat (100) @(posedge clk);
        check(got_tail == got_head, "no byte beyond the frames");
        if (errors == 0) $display("PASS snn_uart_bridge");
        $finish;
    end
    initial begin
        #20000000;
        $display("FAIL timeout");
        $finish;
    end
endmodule
